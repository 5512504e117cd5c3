"""grader.judge.cache.memo: the judge asks Keras once per process for each set of numbers, and no caller can
change what the next one gets."""
from __future__ import annotations

import numpy as np

from grader.judge.cache import memo


def _counting():
    calls = []

    def f(x, *, scale=1, weights=None):
        calls.append(1)
        out = np.asarray(x, dtype=np.float64) * scale
        return (out, out.sum()) if weights is None else out @ weights
    return memo(f), calls


def test_the_same_numbers_are_asked_once_and_other_numbers_again():
    f, calls = _counting()
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    first = f(a, scale=2)
    again = f(a.copy(), scale=2)  # another array with the same contents
    assert len(calls) == 1
    np.testing.assert_array_equal(first[0], again[0])
    b = a.copy()
    b[1, 2] = 7
    f(b, scale=2)                                  # one number differs
    f(a.astype(np.float64), scale=2)               # the same values in another dtype
    f(a.reshape(3, 2), scale=2)                    # another shape
    f(a, scale=2.0)                                # 2 and 2.0 are told apart
    f(a, scale=2, weights=np.ones((3, 1)))         # another keyword
    assert len(calls) == 6


def test_a_caller_that_writes_into_the_answer_does_not_change_the_next_one():
    f, _calls = _counting()
    a = np.ones((2, 2), dtype=np.float32)
    out, total = f(a)
    out[:] = -5
    again, total_again = f(a)
    assert np.all(again == 1) and total_again == total == 4


def test_unhashable_arguments_are_asked_every_time():
    calls = []
    g = memo(lambda d: (calls.append(1), len(d))[1])
    assert g({1, 2}) == g({1, 2}) == 2  # a set: neither hashable nor an array
    assert len(calls) == 2


def test_the_oldest_answer_goes_first_when_full():
    calls = []
    f = memo(lambda n: calls.append(n) or n * n, maxsize=2)
    f(1), f(2), f(1), f(3)      # 2 is the least recently asked when 3 comes
    f(1)
    assert calls == [1, 2, 3]
    f(2)
    assert calls == [1, 2, 3, 2]


def test_keras_layer_gives_what_keras_gives_asked_twice():
    from grader.judge.recurrent import draw_case, keras_layer
    case = draw_case(np.random.default_rng(5), 2, 4, 3, 5, blocks=4, states=2)
    fresh = keras_layer.__wrapped__("LSTM", case.x, *case.weights, return_sequences=True,
                                    initial_state=case.states)
    for _ in range(2):
        np.testing.assert_array_equal(keras_layer("LSTM", case.x, *case.weights, return_sequences=True,
                                                  initial_state=case.states), fresh)
    other = draw_case(np.random.default_rng(6), 2, 4, 3, 5, blocks=4, states=2)
    assert not np.allclose(keras_layer("LSTM", other.x, *other.weights, return_sequences=True,
                                       initial_state=other.states), fresh)


def _tiny_model(lr=1e-2, seed=0):
    import keras
    keras.backend.clear_session()  # the same layer names, as the grader's fresh state gives each submission
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy")
    return model


def test_model_key_tells_architecture_compile_settings_and_weights_apart():
    from grader.judge.cache import _key, model_key
    same = [_key(model_key(_tiny_model())) for _ in range(2)]
    assert same[0] == same[1]
    assert _key(model_key(_tiny_model(lr=1e-3))) != same[0]          # another learning rate
    assert _key(model_key(_tiny_model(seed=1))) != same[0]           # other starting weights
    import keras
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    wider = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="relu")])
    wider.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    assert _key(model_key(wider)) != same[0]                          # another activation, same weights


def test_a_model_is_trained_once_from_the_same_start_and_again_from_another(monkeypatch):
    from grader.checks import ex03_conv_stack as ex03
    monkeypatch.setattr(ex03, "EPOCHS", 1)  # (part of the key: this test's answers are not the grader's)
    first = _tiny_model()
    start = [w.copy() for w in first.get_weights()]
    acc = ex03.train_and_score(first, 0)
    assert not all(np.array_equal(a, b) for a, b in zip(start, first.get_weights()))  # it was trained
    again = _tiny_model()
    assert ex03.train_and_score(again, 0) == acc
    assert all(np.array_equal(a, b) for a, b in zip(start, again.get_weights()))       # it was not
    other = _tiny_model(lr=1e-3)
    ex03.train_and_score(other, 0)
    assert not all(np.array_equal(a, b) for a, b in zip(start, other.get_weights()))   # another start: trained
    monkeypatch.setattr(ex03, "EPOCHS", 2)
    twice = _tiny_model()
    ex03.train_and_score(twice, 0)
    assert not all(np.array_equal(a, b) for a, b in zip(start, twice.get_weights()))   # other settings: trained


def _sent(units: int = 10, name: str = "dense"):
    """A weightless model as a child sends it (wire.StudentModel: config only)."""
    import keras
    from grader.core.wire import StudentModel
    model = keras.Sequential([keras.Input((8,), name="x"), keras.layers.Dense(units, name=name)], name="net")
    return StudentModel(keras.saving.serialize_keras_object(model), None)


def _params_read():
    reads = []

    def params(model):
        reads.append(1)
        return {"params": int(model.count_params())}
    return params, reads


def test_a_rebuilt_network_is_read_once_per_config_and_budget():
    from grader.core import guard
    from grader.judge import structure
    from grader.judge.graph import _read_rebuilt, _rebuilt
    params, reads = _params_read()
    with guard.budget(guard.Budget(10_000, 10_000)):
        assert _read_rebuilt(_sent(), "f()", params) == {"params": 90}
        assert _read_rebuilt(_sent(), "f()", params) == {"params": 90}
        assert len(reads) == 1                                           # the same config: read once
        assert _read_rebuilt(_sent(11), "f()", params) == {"params": 99}  # another width
        _read_rebuilt(_sent(name="other"), "f()", params)                 # another layer name
        assert len(reads) == 3
        assert _read_rebuilt(_sent(), "f()", structure.summary) == structure.summary(_rebuilt(_sent(), "f()"))
    with guard.budget(guard.Budget(20_000, 20_000)):
        _read_rebuilt(_sent(), "f()", params)                              # another budget: read again
    assert len(reads) == 4


def test_a_model_sent_without_weights_starts_from_weights_of_its_seed_and_config_alone():
    """The judge trains a model rebuilt from its config (ex03, ex13) from the weights Keras gives it.  Keras
    seeds each initializer from Python's random module, from which the judge's own Keras work draws too; a
    process that kept that work (the warm grader, --watch) drew less before the second grade, and the same
    file trained from other weights to another accuracy.  Now: the same weights whatever ran before, those
    a grade of its own draws (keras.utils.set_random_seed(seed), a dry run, the rebuild), other weights for
    another seed, and the module's state as it was."""
    import copy
    import random

    import keras

    from grader.core.spec import rebuild

    sent = _sent(units=7)  # a config no other test rebuilt: the first rebuild makes its dry run

    def weights(seed=0):
        return [np.asarray(w) for w in rebuild(sent, "f()", seed=seed).get_weights()]
    random.seed(1)
    state = random.getstate()
    first = weights()
    assert random.getstate() == state                                          # put back, dry run and all
    random.seed(2)
    keras.layers.Dense(3)  # the judge's own Keras work draws an initializer's seed
    again = weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, again))             # the same start
    assert not np.array_equal(weights(seed=1)[0], first[0])                    # another seed
    from grader.core.stateless import no_weights
    keras.utils.set_random_seed(0)
    with no_weights():
        keras.saving.deserialize_keras_object(copy.deepcopy(sent.config))        # the dry run of that grader
    fresh = keras.saving.deserialize_keras_object(copy.deepcopy(sent.config))    # Keras pops keys from it
    assert all(np.array_equal(a, b) for a, b in zip(first, fresh.get_weights()))  # a grade of its own


def test_a_network_over_budget_is_refused_every_time_and_weights_are_not_remembered():
    import pytest

    from grader.core import guard
    from grader.core.errors import Verdict
    from grader.core.wire import StudentModel
    from grader.judge.graph import _read_rebuilt
    params, reads = _params_read()
    for _ in range(2):
        with guard.budget(guard.Budget(50, 50)), pytest.raises(Verdict):
            _read_rebuilt(_sent(), "f()", params)
    with guard.budget(guard.Budget(10_000, 10_000)):
        _read_rebuilt(_sent(), "f()", params)
        assert len(reads) == 1
        with_weights = StudentModel(_sent().config, [np.zeros((8, 10), np.float32), np.zeros(10, np.float32)])
        _read_rebuilt(with_weights, "f()", params)
        _read_rebuilt(with_weights, "f()", params)
    assert len(reads) == 3


def test_an_instructors_value_is_computed_once_per_case_and_every_caller_gets_its_own():
    """answers.Table: the instructor's function runs once per set of arguments in a process (a warm server
    does not rebuild ex05's reference blocks at every grade); a caller that writes into its value does not
    change the next one's; other arguments are computed again."""
    import types

    from grader.judge import answers
    calls = []

    def block(shape, n):
        calls.append((shape, n))
        return {"rows": [list(shape)] * n, "weights": np.arange(n, dtype=np.float32)}
    table = answers.Table("nothing_here")
    table._code = types.SimpleNamespace(block=block)
    first = table("block", (4, 4), 2)
    first["rows"].append("written")
    first["weights"][0] = 99
    again = table("block", (4, 4), 2)
    assert calls == [((4, 4), 2)]
    assert again["rows"] == [[4, 4], [4, 4]] and again["weights"].tolist() == [0.0, 1.0]
    table("block", (4, 4), 3)
    assert calls == [((4, 4), 2), ((4, 4), 3)]


def test_a_weightless_model_is_built_once_per_config_and_the_config_is_left_as_it_was(monkeypatch):
    import copy

    import keras

    from grader.core import stateless
    built = []
    real = keras.saving.deserialize_keras_object
    monkeypatch.setattr(keras.saving, "deserialize_keras_object", lambda *a, **k: built.append(1) or real(*a, **k))
    monkeypatch.setattr(stateless, "_models", type(stateless._models)())
    config = _sent().config
    before = copy.deepcopy(config)
    first = stateless.weightless_model(config)
    assert stateless.weightless_model(copy.deepcopy(config)) is first and len(built) == 1
    assert config == before                                   # Keras popped keys from its own copy
    assert first.weights[0]._value is None                    # no weight was allocated
    assert stateless.weightless_model(_sent(11).config) is not first                    # another width
    assert stateless.weightless_model(_sent(name="other").config) is not first          # another layer name
    assert stateless.weightless_model(config, safe_mode=False) is not first             # another mode
    assert len(built) == 4
    monkeypatch.setattr(stateless, "MODELS", 2)
    stateless.weightless_model(_sent(12).config)
    assert len(stateless._models) == 2                        # the oldest went first
    assert stateless.weightless_model(config) is not first and len(built) == 6


def test_a_shared_weightless_model_computes_with_each_callers_weights_after_keras_is_cleared():
    """What a warm grader does: a model built for one submission is run for the next, after the engine's
    clear_session, with weights of that grade's own; it gives what a model built now gives."""
    import keras

    from grader.core import stateless
    from grader.judge.graph import outputs
    shared = stateless.weightless_model(_sent(7).config)
    keras.backend.clear_session()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 8)).astype("float32")
    fresh = keras.saving.deserialize_keras_object(_sent(7).config)
    for _ in range(2):
        kernel, bias = rng.normal(size=(8, 7)).astype("float32"), rng.normal(size=7).astype("float32")
        fresh.set_weights([kernel, bias])
        values = {id(v): w for v, w in zip(shared.weights, (kernel, bias))}
        (got,) = outputs(shared, x, values)
        np.testing.assert_allclose(got, fresh(x).numpy(), rtol=1e-6)
        np.testing.assert_allclose(got, x @ kernel + bias, rtol=1e-5)


def test_a_remembered_model_is_still_held_to_each_budget():
    import pytest

    from grader.core import guard
    from grader.core.errors import Fail
    config = _sent(9).config
    with guard.budget(guard.Budget(10_000, 10_000)):
        model = guard.dry_run(config, "f()")
        assert guard.dry_run(config, "f()") is model
    with guard.budget(guard.Budget(50, 50)), pytest.raises(Fail, match="over this exercise's budget"):
        guard.dry_run(config, "f()")
