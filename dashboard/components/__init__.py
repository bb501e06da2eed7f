"""Tab components: each composes charts (by spec name) and widgets; ``app.py`` only lays out tabs."""
