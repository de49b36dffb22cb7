"""A lab's definition: its id, title, datasets and questions (the lab files in ``mhsm_lessons.labs`` build these)."""
from __future__ import annotations

from dataclasses import dataclass

from .checks import Question

__all__ = ["LabSpec"]


@dataclass(frozen=True)
class LabSpec:
    """A lab: its id (the notebook stem), title, datasets and questions."""

    lab_id: str
    title: str
    datasets: tuple[str, ...]
    questions: tuple[Question, ...]
    solution_path: str = ""

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.qid == qid), None)

    @property
    def qids(self) -> list[str]:
        return [q.qid for q in self.questions]
