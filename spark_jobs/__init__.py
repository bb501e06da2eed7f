"""jangbogi batch engine: KAMIS client and simulator, raw/silver/gold Spark jobs."""

__version__ = "0.1.0"
