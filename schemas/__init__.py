"""Pandera schemas of the dataset's tables, and of the references between them."""
