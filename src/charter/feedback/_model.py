"""The arithmetic of the themes: TF-IDF terms, NMF themes, and clause similarity.

Plain arrays in and out; :mod:`charter.feedback.themes` turns them into themes.
Comments and clause texts share one TF-IDF space (the vectorizer is fit on both), so a
theme (the mean of its comments' rows) and a clause's text compare by cosine similarity.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from charter.feedback._words import terms

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

THEMED_FROM = 0.1  # a comment's weight in its strongest theme below this: unthemed
TOP_TERMS = 8  # terms kept per theme
MOST_THEMES = 12  # the most themes tried when the count is chosen from the data
PER_THEME = 5  # ... and at most one theme per this many comments
NEAR = 0.05  # a count whose silhouette is within 5 % of the best is as good: fewest wins
SAMPLE = 2000  # comments the silhouette is measured on, at most
CHOOSE_ON = 5000  # comments the count is chosen on, at most (then all are fit)


@dataclass(frozen=True)
class Fit:
    """Themes found in ``n`` comments: for each theme (``k`` of them) its top terms and
    its similarity to each clause; for each comment its theme (-1: none) and weight."""

    terms: list[tuple[str, ...]]
    member: Ints  # (n,)
    weight: Floats  # (n,)
    similarity: Floats  # (k, clauses)


def fit(texts: list[str], clauses: list[str], count: int | None, seed: int) -> Fit | None:
    """Themes in ``texts`` (already in a canonical order), or ``None`` when they share
    no term (fewer than two comments use any word twice)."""
    vectorizer = TfidfVectorizer(analyzer=terms, min_df=2, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([*texts, *clauses])
    except ValueError:  # no term in two texts: nothing to group
        return None
    comments, clause_rows = matrix[: len(texts)], matrix[len(texts) :]
    usable = int((comments.getnnz(axis=1) > 0).sum())
    if usable < 2:
        return None
    k = min(count, usable, comments.shape[1]) if count else choose(comments, usable, seed)
    weights, components = factorise(comments, k, seed)
    member, weight = strongest(weights)
    vocabulary = vectorizer.get_feature_names_out()
    top = [_top_terms(row, vocabulary) for row in components]
    similarity = _similarity(comments, member, k, clause_rows)
    return Fit(top, member, weight, similarity)


def factorise(comments: Any, k: int, seed: int) -> tuple[Floats, Floats]:
    """NMF with ``k`` themes, rescaled so each theme's term weights have unit length and
    a comment's weight in a theme is about its cosine with the theme's terms."""
    model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=400)
    with warnings.catch_warnings():  # after 400 steps the themes are as good as they get
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = np.asarray(model.fit_transform(comments), dtype=np.float64)
    components = np.asarray(model.components_, dtype=np.float64)
    norms = np.linalg.norm(components, axis=1)
    norms[norms == 0] = 1.0
    return weights * norms, components / norms[:, None]


def strongest(weights: Floats) -> tuple[Ints, Floats]:
    """Each comment's strongest theme and its weight there; -1 below ``THEMED_FROM``."""
    member = np.argmax(weights, axis=1).astype(np.int64)
    weight = weights[np.arange(len(weights)), member]
    member[weight < THEMED_FROM] = -1
    return member, weight


def _similarity(comments: Any, member: Ints, k: int, clause_rows: Any) -> Floats:
    """Each theme's cosine similarity with each clause: the theme read as the mean of
    its comments' TF-IDF rows (what its comments say together), the clause as its row."""
    centres = np.zeros((k, clause_rows.shape[1]))
    for theme in range(k):
        rows = comments[member == theme]
        if rows.shape[0]:
            centres[theme] = np.asarray(rows.mean(axis=0)).ravel()
    centres /= np.maximum(np.linalg.norm(centres, axis=1), 1e-12)[:, None]
    return np.asarray(clause_rows @ centres.T, dtype=np.float64).T


def choose(comments: Any, usable: int, seed: int) -> int:
    """The number of themes, from the data. Each count from 2 to ``MOST_THEMES`` (and at
    most one theme per ``PER_THEME`` comments) is fit (on at most ``CHOOSE_ON`` comments
    drawn with ``seed``), and its grouping scored by the mean silhouette (cosine
    distance, on at most ``SAMPLE`` themed comments drawn with ``seed``); the fewest
    themes scoring within ``NEAR`` (5 %) of the best win: past the right count the
    score levels off while the themes split what people read as one."""
    used = np.flatnonzero(comments.getnnz(axis=1) > 0)
    if len(used) > CHOOSE_ON:
        comments = comments[np.sort(np.random.default_rng(seed).choice(used, CHOOSE_ON, False))]
    scores = {}
    for k in range(2, max(2, min(MOST_THEMES, usable // PER_THEME)) + 1):
        member, _ = strongest(factorise(comments, k, seed)[0])
        scores[k] = _silhouette(comments, member, seed)
    return fewest_near_best(scores)


def fewest_near_best(scores: dict[int, float]) -> int:
    """The fewest themes whose score is within ``NEAR`` (5 %) of the best score.

    >>> fewest_near_best({2: 0.14, 3: 0.19, 4: 0.19, 5: 0.22, 6: 0.21, 10: 0.23})
    5
    >>> fewest_near_best({2: 0.14, 3: 0.20, 4: 0.21})
    3
    """
    best = max(scores.values())
    return min(k for k, score in scores.items() if score >= best - NEAR * abs(best))


def _silhouette(comments: Any, member: Ints, seed: int) -> float:
    """The themed comments' mean silhouette times the share of comments themed: a count
    that leaves the comments it cannot place out of every theme (often the fewer, more
    varied complaints beside many alike thanks) does not score better for it."""
    themed = np.flatnonzero(member >= 0)
    if len(np.unique(member[themed])) < 2 or len(themed) <= len(np.unique(member[themed])):
        return -1.0
    rows = comments[themed]
    size = min(SAMPLE, len(themed))
    score = silhouette_score(
        rows, member[themed], metric="cosine", sample_size=size, random_state=seed
    )
    return float(score) * len(themed) / len(member)


def _top_terms(row: Floats, vocabulary: npt.NDArray[np.str_]) -> tuple[str, ...]:
    """The heaviest terms of a theme, heaviest first; equal weights by the term."""
    order = sorted(np.flatnonzero(row > 0), key=lambda i: (-row[i], vocabulary[i]))
    return tuple(str(vocabulary[i]) for i in order[:TOP_TERMS])
