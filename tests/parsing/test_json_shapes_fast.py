"""The JSON import's shape check without a call for plain values says what the shapes say."""

from readinglist.parsing import jsonfmt

SAMPLES = [None, True, False, 0, 7, -1, 2**70, 1.5, "", "x", [], ["a"], [1], {}, {"a": "b"},
           {"a": 1}, [{"given": "A"}], [{"given": 1}]]  # fmt: skip


def test_each_key_and_value_is_judged_as_its_shape_judges_it():
    tables = [
        (jsonfmt._SHAPES, jsonfmt._PLAIN_TYPES),
        (jsonfmt._IDENTIFIER_SHAPES, jsonfmt._IDENTIFIER_PLAIN),
    ]
    for shapes, plain in tables:
        for name, shape in shapes.items():
            for value in SAMPLES:
                assert jsonfmt._all_shaped({name: value}, shapes, plain) == shape(value), (
                    name,
                    value,
                )
    assert jsonfmt._PLAIN_TYPES["title"] == (str,)  # the fast path is taken for text
