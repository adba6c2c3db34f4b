"""The residents registry shared by all plugins, with consent records."""
