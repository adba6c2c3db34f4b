"""The web layer shared by all pages: request guards, errors, headers, layout context."""
