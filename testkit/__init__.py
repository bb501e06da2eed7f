"""Test doubles and synthetic data shared by the tests and the benchmarks; not part of the product.

``testkit.synthetic`` generates gold marts that follow the registry's contracts (serving and
dashboard tests, ``bench/bench_queries.py``); ``testkit.fake_kamis`` is a scripted KAMIS-like
HTTP server for fault injection (transport, client and raw-collection tests); ``testkit.scalegen``
writes months or years of raw KAMIS tables as daily collector runs would (benchmarks). The package lives
beside ``spark_jobs`` and ``dashboard`` but is not installed with them (pyproject's
``packages.find`` includes only those two), so nothing in the runtime may import it.
"""
