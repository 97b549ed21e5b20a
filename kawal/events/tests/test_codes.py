from kawal.events.services import ALPHABET, CODE_LENGTH, format_code, new_code, normalize_code


def test_new_codes_use_the_unambiguous_alphabet_and_differ():
    # given a thousand fresh codes
    codes = {new_code() for _ in range(1000)}
    # then all are distinct, 12 characters, without I, L, O or U
    assert len(codes) == 1000
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)


def test_typed_codes_are_normalised_and_typos_forgiven():
    code = "AB12CD34EF56"
    assert normalize_code("ab12-cd34-ef56") == code
    assert normalize_code(" AB12 CD34 EF56 ") == code
    # O typed for zero, I or L typed for one
    assert normalize_code("AB1ZCD34EF5O") == "AB1ZCD34EF50"
    assert normalize_code("ABIZCD34EF5L") == "AB1ZCD34EF51"
    assert format_code(code) == "AB12-CD34-EF56"


def test_a_scanned_personal_link_yields_its_code():
    assert normalize_code("https://kawal.example/hadir/AB12CD34EF56/") == "AB12CD34EF56"


def test_malformed_codes_are_refused_without_a_lookup():
    for raw in ["", "ABC", "AB12CD34EF56X", "AB12CD34EF5!", "x" * 400, "https://x/hadir/"]:
        assert normalize_code(raw) is None
