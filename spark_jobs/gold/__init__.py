"""Gold layer: shopper marts, each rebuilt incrementally by date."""
