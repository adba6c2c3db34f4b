"""Organisations that take part in participation (client organisations, care providers,
volunteer organisations, the citizens' platform), with residents as contact persons."""
