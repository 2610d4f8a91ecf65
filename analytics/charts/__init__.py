"""Chart builders: each takes a tidy DataFrame and returns a plotly Figure (no data access here)."""
