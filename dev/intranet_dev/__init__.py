"""Developer tools for the demo and the test suite (the throwaway slapd, the demo loader,
``make demo``). A separate distribution (``dev/pyproject.toml``): the runtime package never
contains it, nor the demo passwords it knows."""
