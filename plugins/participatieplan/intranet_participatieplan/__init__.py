"""The participatieplan plugin: participation planning for a reform agenda (seeds 001, 004)."""
