"""Seeded generators for the curriculum's datasets, one module per topic.

Each module defines ``DATASETS``, a list of :class:`mhsm_lessons.data.registry.DatasetSpec`. A generator takes a
``numpy.random.Generator`` and must draw every random number from it (never from global state), so the
same student id gives the same data on every platform.
"""
