"""Pages outside any municipality: the start page and platform operators' administration."""
