"""Built-in plugins; each registers through the ``intranet.plugins`` entry point like any other."""
