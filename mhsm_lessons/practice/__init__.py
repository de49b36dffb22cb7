"""The student-side engine: answer kinds and their checks, the lab session, the check log and the class view.

``checks`` holds the answer kinds (Number, Proportion, Percent, Label, Table) and the comparison order;
``spec`` the lab definition the files in :mod:`mhsm_lessons.labs` build; ``session`` the :class:`Lab` a student
works in (``start_lab``); ``checklog`` where each practice check is logged; ``classlog`` the instructor's view
of those logs. Imports point down: session -> labs -> spec/checks.
"""
