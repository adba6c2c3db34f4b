"""A plugin whose import fails: the platform must list it as failed and keep working."""

raise ImportError("this test plugin is broken on purpose")
