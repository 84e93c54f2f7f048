"""Fitting on a sparse matrix's distinct columns gives the model of the fit on all columns."""

import numpy as np
import pytest
import scipy.sparse
from sklearn.linear_model import LogisticRegression

from components.distinct_columns import TransposeKept, fit_on_distinct_columns


def count_vectors_like(rows: int, random_state: int) -> scipy.sparse.csr_matrix:
    """Columns as the count vectors have them: some repeated (n-grams of one word only),
    some empty (words of other intents' examples), some unique."""
    unique = scipy.sparse.random(rows, 60, density=0.08, random_state=random_state)
    repeated = scipy.sparse.random(rows, 20, density=0.1, format="csr",
                                 random_state=random_state + 1)
    empty = scipy.sparse.csr_matrix((rows, 30))
    return scipy.sparse.hstack([unique, repeated, empty, repeated, repeated, repeated[:, :7]]).tocsr()


@pytest.mark.parametrize("solver", ["newton-cg", "lbfgs"])
def test_fit_on_distinct_columns_is_the_full_fit(solver):
    matrix = count_vectors_like(90, random_state=1)
    labels = [f"intent{i % 4}" for i in range(90)]
    settings = dict(C=150.0, solver=solver, max_iter=1000, tol=1e-8, random_state=42)
    full, merged = LogisticRegression(**settings), LogisticRegression(**settings)
    full.fit(matrix, labels)
    fit_on_distinct_columns(merged, matrix, labels)
    assert merged.coef_.shape == full.coef_.shape
    assert np.allclose(merged.coef_, full.coef_, atol=1e-4)
    served = count_vectors_like(30, random_state=7)
    assert np.allclose(merged.predict_proba(served), full.predict_proba(served), atol=1e-6)


@pytest.mark.parametrize("solver", ["newton-cg", "lbfgs"])
@pytest.mark.parametrize("in_threads", [False, True])
def test_a_kept_transpose_fits_the_same_model_to_the_last_bit(solver, in_threads, monkeypatch):
    """With its transpose kept and, if asked, its products in blocks of rows in threads
    (taken for large matrices only: here for every one)."""
    if in_threads:
        monkeypatch.setattr(TransposeKept, "parallel_from_entries", 0)
    matrix = count_vectors_like(200, random_state=3)
    labels = [f"intent{i % 5}" for i in range(200)]
    settings = dict(C=150.0, solver=solver, max_iter=300, random_state=42)
    plain, kept = LogisticRegression(**settings), LogisticRegression(**settings)
    plain.fit(matrix, labels)
    transposes = []
    built = scipy.sparse.csr_matrix.transpose

    def counted(self, *args, **kwargs):
        transposes.append(self)
        return built(self, *args, **kwargs)

    monkeypatch.setattr(scipy.sparse.csr_matrix, "transpose", counted)
    kept_matrix = TransposeKept(matrix)
    kept.fit(kept_matrix, labels)
    assert np.array_equal(kept.coef_, plain.coef_)
    assert np.array_equal(kept.intercept_, plain.intercept_)
    # The solver multiplied by the transpose many times; it was built once.
    assert kept_matrix._transposed is not None and len(transposes) == 1
    assert (kept_matrix.T != matrix.T).nnz == 0 and kept_matrix.T.format == "csr"


def test_products_in_threads_are_scipys_to_the_last_bit(monkeypatch):
    monkeypatch.setattr(TransposeKept, "parallel_from_entries", 0)
    matrix = count_vectors_like(301, random_state=5)
    vectors = np.random.default_rng(0).normal(size=(matrix.shape[1], 7))
    back = np.random.default_rng(1).normal(size=(matrix.shape[0], 7))
    kept = TransposeKept(matrix)
    assert np.array_equal(kept @ vectors, matrix @ vectors)
    assert np.array_equal(kept.T @ back, matrix.T @ back)
    assert np.array_equal(kept @ vectors[:, 0], matrix @ vectors[:, 0])
