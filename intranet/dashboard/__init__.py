"""The dashboard of widgets and the combined participation calendar."""
