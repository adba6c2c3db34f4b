"""Developer tools for the demo and the test suite; never imported by the app in production."""
