"""Employee sign-on against the municipality's own directory."""
