"""The question layer: one function per question a user can ask, with typed parameters and a typed answer.

The CLI, the HTTP API, the HTML brief and the claims all call these functions and only render their answers
(:mod:`equilibrium.questions.base` describes the contract). ``ask("reach.distance", {"from": "PAK", "to": "IND"})``
is the Python API's single entry point; :func:`load_all` registers every question.
"""

from equilibrium.questions.base import (
    REGISTRY,
    Answer,
    Example,
    Params,
    Question,
    Stated,
    ask,
    get_question,
    load_all,
    parse_params,
    question,
)

__all__ = ["REGISTRY", "Answer", "Example", "Params", "Question", "Stated", "ask", "get_question", "load_all",
           "parse_params", "question"]
