"""Bad and odd input: refused files, odd bytes and characters, encodings, block cutting."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import ticker.reading
from ticker.cli import main
from ticker.errors import InputError
from ticker.model import Diagnostic, Record
from ticker.parsing import Context, make_context
from ticker.reading import Reader, open_input, parse_blocks, parse_bytes, parse_stream

NOW = dt.datetime(2025, 8, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RAIL_BYTES = (SAMPLES / "f24-rail-lines.txt").read_bytes()
RAIL_TEXT = RAIL_BYTES.decode("utf-8")
SEED_TEXT = (SAMPLES / "000_14508f3cbf4abfa2.txt").read_text(encoding="utf-8")
RAIL_HEADLINES = [
    "Mayors of riverside towns vote on joint flood defence plan",
    "Ferry workers end week-long strike after overnight talks",
    "Central bank holds rates as inflation cools to 2.3%",
    "Court hears appeal in decade-old bank fraud case",
    "Drone strikes on power grid leave 40,000 homes without electricity",
    "Aid convoy reaches northern Gaza after weeks of delays",
    "Wildfire forces evacuation of 3,000 residents near Marseille",
    "Opposition leader calls for snap election after budget defeat",
]
#: one France 24 rail copy, without the leading video length (which would belong to the
#: last headline of the copy before it once copies are joined)
COPY_LINES = RAIL_TEXT.split("\n", 1)[1].rstrip("\n")
COPY_FLAT = " ".join(COPY_LINES.split())
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


@pytest.fixture
def context() -> Context:
    return make_context(now=NOW)


def run(*args: str, input: bytes | None = None) -> Result:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, list(args), input=input, prog_name="ticker")


def jsonl(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def headlines(result: Result) -> list[str]:
    return [r["headline"] for r in jsonl(result)]


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def key(r: Record) -> tuple[Any, ...]:
    """A record without its position."""
    return (r.kind, r.source, r.date, r.duration, r.headline, r.region, r.kicker, r.age)


def collapsed(text: str) -> str:
    return " ".join(text.split())


# --- inputs that are refused ---------------------------------------------------------------


def test_missing_path_exits_1_with_one_line_naming_it(tmp_path: Path) -> None:
    path = str(tmp_path / "absent.txt")
    result = run("parse", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"ticker: {path}: no such file\n"


def test_directory_exits_1_with_one_line_naming_it(tmp_path: Path) -> None:
    result = run("parse", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"ticker: {tmp_path}: is a directory, not a text file\n"


def test_unreadable_file_exits_1_with_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "locked.txt", RAIL_BYTES)
    os.chmod(path, 0)
    if os.geteuid() == 0:  # root reads it anyway: make open() refuse as the OS would
        real_open = open

        def refuse(name: Any, *args: Any, **kwargs: Any) -> Any:
            if str(name) == path:
                raise PermissionError(13, "Permission denied", name)
            return real_open(name, *args, **kwargs)

        monkeypatch.setattr(ticker.reading, "open", refuse, raising=False)
    result = run("parse", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"ticker: {path}: permission denied\n"


def test_open_input_says_why_a_path_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        open_input(str(tmp_path / "absent.txt"))
    assert (missing.value.reason, missing.value.name) == (
        "no such file",
        str(tmp_path / "absent.txt"),
    )
    with pytest.raises(InputError, match="is a directory, not a text file"):
        open_input(str(tmp_path))


def test_png_exits_1_naming_the_file_and_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.txt", PNG)
    result = run("parse", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"ticker: {path} at byte 0: binary data (a PNG image), not text\n"


def test_random_bytes_with_many_nuls_exit_1_naming_the_first_nul(tmp_path: Path) -> None:
    rng = random.Random(20250801)
    noise = bytes(rng.choice([0, 0, 0, 1, 2, 3, 7, 65, 200, 255]) for _ in range(4000))
    data = b"Header" + b"\x00" + noise  # the first NUL is byte 6
    path = write(tmp_path, "blob.dat", data)
    result = run("parse", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"ticker: {path} at byte 6: binary data, not text\n"
    assert "Traceback" not in result.output


def test_binary_on_stdin_is_named_dash() -> None:
    result = run("parse", input=PNG)
    assert result.exit_code == 1
    assert result.stderr == "ticker: - at byte 0: binary data (a PNG image), not text\n"


def test_parse_bytes_raises_input_error_for_binary(context: Context) -> None:
    with pytest.raises(InputError) as exc:
        parse_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", context, name="report.pdf")
    assert (exc.value.name, exc.value.byte) == ("report.pdf", 0)
    assert str(exc.value) == "report.pdf at byte 0: binary data (a PDF document), not text"


@pytest.mark.parametrize("bad", ["missing", "directory", "png"])
def test_good_files_records_are_printed_when_another_is_bad(tmp_path: Path, bad: str) -> None:
    good1 = write(tmp_path, "one.txt", RAIL_BYTES)
    good2 = write(tmp_path, "two.txt", COPY_FLAT.encode())
    broken = {
        "missing": str(tmp_path / "absent.txt"),
        "directory": str(tmp_path),
        "png": write(tmp_path, "photo.txt", PNG),
    }[bad]
    result = run("parse", good1, broken, good2)
    assert result.exit_code == 1
    assert headlines(result) == RAIL_HEADLINES + RAIL_HEADLINES
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"ticker: {broken}")


def test_summary_prints_no_record_count_for_an_unreadable_file(tmp_path: Path) -> None:
    good = write(tmp_path, "one.txt", RAIL_BYTES)
    missing = str(tmp_path / "absent.txt")
    result = run("parse", missing, good, "--format", "summary")
    assert result.exit_code == 1
    assert result.stderr == f"ticker: {missing}: no such file\n"
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [good]


def test_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, "one.txt", RAIL_BYTES)
    result = run("parse", path, path, "--encoding", "no-such-codec")
    assert result.exit_code == 2
    assert len([x for x in result.stderr.splitlines() if "no-such-codec" in x]) == 1


def test_empty_file_is_one_line_and_exit_1(tmp_path: Path, context: Context) -> None:
    path = write(tmp_path, "empty.txt", b"")
    result = run("parse", path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"ticker: {path} at byte 0: empty, no text\n"
    assert parse_bytes(b"", context) == []  # the library: no text, no records


def test_empty_file_among_good_ones_keeps_theirs(tmp_path: Path) -> None:
    empty, good = write(tmp_path, "empty.txt", b" \n\n"), write(tmp_path, "rail.txt", RAIL_BYTES)
    result = run("parse", empty, good)
    assert result.exit_code == 1
    assert headlines(result) == RAIL_HEADLINES


# --- odd bytes and characters --------------------------------------------------------------


def test_invalid_utf8_byte_warns_with_its_offset_and_keeps_every_record(tmp_path: Path) -> None:
    at = RAIL_BYTES.index(b"Ferry") + 2  # byte 96
    path = write(tmp_path, "rail.txt", RAIL_BYTES[:at] + b"\xff" + RAIL_BYTES[at:])
    result = run("parse", path)
    assert result.exit_code == 1  # bad input, warned of; every record still out
    assert result.stderr == f"ticker: warning: {path}: invalid UTF-8 byte at byte 96\n"
    got = headlines(result)
    assert got[1] == "Fe\ufffdrry workers end week-long strike after overnight talks"
    assert [h.replace("\ufffd", "") for h in got] == RAIL_HEADLINES


def test_invalid_utf8_bytes_in_a_rail_keep_its_records_and_spans(context: Context) -> None:
    # each invalid byte replaces one ASCII byte: one character for one, so offsets hold
    data = RAIL_BYTES.replace(b"Gaza after", b"Gaza\xc0after").replace(b" plan\n", b"\x80plan\n")
    warnings: list[Diagnostic] = []
    got = list(parse_stream(io.BytesIO(data), context, warn=warnings.append))
    clean = parse_bytes(RAIL_BYTES, context)
    first, second = data.index(b"\x80plan"), data.index(b"\xc0after")
    assert [d.message for d in warnings] == [
        f"invalid UTF-8 byte at byte {first}",
        f"invalid UTF-8 byte at byte {second}",
    ]
    assert [r.span for r in got] == [r.span for r in clean]
    assert [r.headline.replace("\ufffd", " ") for r in got] == RAIL_HEADLINES


def test_more_than_five_bad_bytes_are_counted_not_listed(tmp_path: Path) -> None:
    path = write(tmp_path, "rail.txt", RAIL_BYTES.replace(b"e", b"\xfe", 8))
    result = run("parse", path)
    lines = result.stderr.splitlines()
    assert len(lines) == 6
    assert all("invalid UTF-8 byte at byte" in line for line in lines[:5])
    assert lines[5] == f"ticker: warning: {path}: ... and 3 more: invalid UTF-8 byte"
    assert len(jsonl(result)) == 8


def test_nul_in_a_headline_warns_with_line_and_column(tmp_path: Path) -> None:
    data = RAIL_BYTES.replace(b"Central bank", b"Central\x00bank")  # line 9, column 8
    path = write(tmp_path, "rail.txt", data)
    result = run("parse", path)
    assert result.exit_code == 1  # bad input, warned of; every record still out
    assert result.stderr == (
        f"ticker: warning: {path}:9:8: control character U+0000 read as a space\n"
    )
    assert jsonl(result) == jsonl(run("parse", write(tmp_path, "clean.txt", RAIL_BYTES)))


@pytest.mark.parametrize(
    ("char", "code"),
    [
        ("\x01", "0001"),
        ("\x08", "0008"),
        ("\x0c", "000C"),
        ("\x1b", "001B"),
        ("\x7f", "007F"),
        ("\x85", "0085"),
        ("\x9b", "009B"),
    ],
)
def test_control_character_reads_as_a_space_keeping_spans(
    context: Context, char: str, code: str
) -> None:
    text = RAIL_TEXT.replace("Ferry workers", f"Ferry{char}workers")  # line 6, column 6
    warnings: list[Diagnostic] = []
    got = list(parse_stream(io.BytesIO(text.encode()), context, warn=warnings.append))
    offset = text.index(char)
    assert warnings == [
        Diagnostic(f"control character U+{code} read as a space", offset, 6, 6),
    ]
    assert got == parse_bytes(RAIL_BYTES, context)
    assert collapsed(text[got[1].span[0] : got[1].span[1]].replace(char, " ")).endswith(
        "Ferry workers end week-long strike after overnight talks Europe"
    )


def test_tabs_are_whitespace_not_control_characters(tmp_path: Path) -> None:
    data = RAIL_BYTES.replace(b"Ferry workers end", b"Ferry\tworkers\t\tend")
    result = run("parse", write(tmp_path, "rail.txt", data))
    assert result.stderr == ""
    assert headlines(result) == RAIL_HEADLINES


# --- encodings and line ends ---------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + RAIL_TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + RAIL_TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + RAIL_TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_bom_input_gives_the_same_records_as_plain_utf8(tmp_path: Path, encoded: bytes) -> None:
    result = run("parse", write(tmp_path, "rail.txt", encoded))
    assert (result.exit_code, result.stderr) == (0, "")
    assert jsonl(result) == jsonl(run("parse", write(tmp_path, "plain.txt", RAIL_BYTES)))


def test_latin1_file_with_accented_headlines_reads_with_encoding_option(tmp_path: Path) -> None:
    page = (
        "03/06/2025\nCafé owners protest new terrace rules in Besançon\nFrance\n"
        "02/06/2025\nÉlysée names new envoy to Brussels\nEurope\n"
    )
    path = write(tmp_path, "latin.txt", page.encode("latin-1"))
    result = run("parse", path, "--encoding", "latin-1")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [(r["headline"], r["region"]) for r in jsonl(result)] == [
        ("Café owners protest new terrace rules in Besançon", "France"),
        ("Élysée names new envoy to Brussels", "Europe"),
    ]


def test_latin1_file_read_as_utf8_warns_at_each_accented_byte(tmp_path: Path) -> None:
    page = "03/06/2025\nCafé owners protest new terrace rules in Besançon\nFrance\n"
    path = write(tmp_path, "latin.txt", page.encode("latin-1"))
    result = run("parse", path)
    assert result.exit_code == 1  # bad input, warned of; every record still out
    assert result.stderr == (
        f"ticker: warning: {path}: invalid UTF-8 byte at byte 14\n"
        f"ticker: warning: {path}: invalid UTF-8 byte at byte 57\n"
    )
    assert headlines(result) == ["Caf\ufffd owners protest new terrace rules in Besan\ufffdon"]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_line_ends_give_the_same_headlines_as_lf(
    tmp_path: Path, newline: bytes
) -> None:
    result = run("parse", write(tmp_path, "rail.txt", RAIL_BYTES.replace(b"\n", newline)))
    assert (result.exit_code, result.stderr) == (0, "")
    plain = jsonl(run("parse", write(tmp_path, "plain.txt", RAIL_BYTES)))
    fields = ("headline", "date", "region", "kicker")
    assert [[r[f] for f in fields] for r in jsonl(result)] == [
        [r[f] for f in fields] for r in plain
    ]


def test_unicode_spaces_between_words_read_as_spaces(tmp_path: Path) -> None:
    page = (
        "03/06/2025\nFerry\u00a0workers end\u2009week-long strike\u3000after talks\nEurope\n"
        "02/06/2025\nCourt\u202fhears\u2007appeal\u00a0in bank\u2002case\n"
    )
    result = run("parse", write(tmp_path, "spaces.txt", page.encode()))
    assert (result.exit_code, result.stderr) == (0, "")
    assert [(r["headline"], r["region"]) for r in jsonl(result)] == [
        ("Ferry workers end week-long strike after talks", "Europe"),
        ("Court hears appeal in bank case", None),
    ]


def test_nbsp_before_a_flat_tag_still_makes_it_a_tag(tmp_path: Path) -> None:
    page = (
        "03/06/2025 Ferry\u00a0workers end strike after talks\u00a0Europe "
        "02/06/2025 Court hears appeal in bank case near Marseille France "
        "01/06/2025 Mayors vote on flood plan"
    )
    result = run("parse", write(tmp_path, "flat.txt", page.encode()))
    assert [(r["headline"], r["region"]) for r in jsonl(result)] == [
        ("Ferry workers end strike after talks", "Europe"),
        ("Court hears appeal in bank case near Marseille", "France"),
        ("Mayors vote on flood plan", None),
    ]


# --- big inputs and block cutting ----------------------------------------------------------


def _repeated(copy: str, sep: str, size: int) -> tuple[str, int]:
    n = size // (len(copy) + 1) + 1
    return sep.join([copy] * n), n


@pytest.mark.parametrize(
    ("copy", "sep"), [(COPY_FLAT, " "), (COPY_LINES, "\n")], ids=["flat", "lines"]
)
def test_3mb_rail_gives_the_records_of_each_copy(context: Context, copy: str, sep: str) -> None:
    text, n = _repeated(copy, sep, 3_000_000)
    assert len(text) > 3 * ticker.reading.BLOCK_SIZE - 200_000  # several blocks
    one = parse_bytes(copy.encode(), context)
    assert [r.headline for r in one] == RAIL_HEADLINES
    got = parse_bytes(text.encode(), context)
    assert len(got) == 8 * n
    assert [key(r) for r in got] == [key(r) for r in one] * n


@pytest.mark.parametrize(
    ("copy", "sep"), [(COPY_FLAT, " "), (COPY_LINES, "\n")], ids=["flat", "lines"]
)
def test_small_blocks_neither_lose_nor_split_records(
    monkeypatch: pytest.MonkeyPatch, context: Context, copy: str, sep: str
) -> None:
    monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", 4096)
    text, n = _repeated(copy, sep, 60_000)
    one = parse_bytes(copy.encode(), context)
    got = parse_bytes(text.encode(), context)
    assert len(got) == 8 * n
    assert [key(r) for r in got] == [key(r) for r in one] * n


@pytest.mark.parametrize(
    ("copy", "sep"), [(COPY_FLAT, " "), (COPY_LINES, "\n")], ids=["flat", "lines"]
)
def test_spans_from_many_blocks_index_the_original_text(
    monkeypatch: pytest.MonkeyPatch, context: Context, copy: str, sep: str
) -> None:
    monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", 4096)
    text, n = _repeated(copy, sep, 60_000)
    got = parse_bytes(text.encode(), context)
    one = parse_bytes(copy.encode(), context)
    assert len(got) == 8 * n
    for i, r in enumerate(got):
        assert r.headline in collapsed(text[r.span[0] : r.span[1]])
        start, end = one[i % 8].span
        shift = (i // 8) * (len(copy) + 1)
        assert r.span == (start + shift, end + shift)


def test_parsed_blocks_tile_the_decoded_text(
    monkeypatch: pytest.MonkeyPatch, context: Context
) -> None:
    monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", 4096)
    text, _ = _repeated(COPY_FLAT, " ", 50_000)
    blocks = list(parse_blocks(io.BytesIO(text.encode()), context, name="big.txt"))
    assert len(blocks) > 10
    assert "".join(b.text for b in blocks) == text
    assert [b.base for b in blocks] == [
        sum(len(b.text) for b in blocks[:i]) for i in range(len(blocks))
    ]
    for b in blocks:  # every record lies inside its block
        assert all(b.base <= r.span[0] < r.span[1] <= b.base + len(b.text) for r in b.records)


def test_reader_chunks_are_the_decoded_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", 4096)
    text, _ = _repeated(COPY_FLAT, " ", 50_000)
    reader = Reader(io.BytesIO(text.encode()), "big.txt", lambda d: None)
    chunks = list(reader.chunks())
    assert len(chunks) > 10 and [final for _, final in chunks].count(True) == 1
    assert "".join(c for c, _ in chunks) == text


def test_multibyte_character_cut_by_a_block_read_decodes_cleanly(
    monkeypatch: pytest.MonkeyPatch, context: Context
) -> None:
    item = "03/06/2025\nCafé owners in Besançon protest 😀 new rules\nFrance\n"
    data = (item * 300).encode()
    cut = next(i for i in range(4000, len(data)) if 0x80 <= data[i] < 0xC0)  # mid-character
    monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", cut)
    warnings: list[Diagnostic] = []
    got = list(parse_stream(io.BytesIO(data), context, warn=warnings.append))
    assert warnings == []
    assert len(got) == 300
    assert {(r.headline, r.region) for r in got} == {
        ("Café owners in Besançon protest 😀 new rules", "France")
    }


def test_utf16_cut_by_an_odd_block_size_decodes_cleanly(
    monkeypatch: pytest.MonkeyPatch, context: Context
) -> None:
    monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", 4097)
    text = "\n".join([COPY_LINES] * 60)
    got = parse_bytes(text.encode("utf-16"), context)
    assert [key(r) for r in got] == [key(r) for r in parse_bytes(text.encode(), context)]
    assert all(r.headline in collapsed(text[r.span[0] : r.span[1]]) for r in got)


def test_warnings_in_a_later_block_give_the_right_position(
    monkeypatch: pytest.MonkeyPatch, context: Context
) -> None:
    monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", 4096)
    lines = "\n".join([COPY_LINES] * 100).split("\n")
    assert len(lines) == 2200 and lines[1192] == RAIL_HEADLINES[1]  # copy 55 of 100
    lines[1192] = "Ferry\x00workers end week-long strike after overnight talks"  # line 1193
    text = "\n".join(lines)
    data = text.encode()
    bad_byte = data.index(b"Central bank", 20_000) + 7  # a space, well past the first block
    data = data[:bad_byte] + b"\xff" + data[bad_byte + 1 :]
    warnings: list[Diagnostic] = []
    got = list(parse_stream(io.BytesIO(data), context, warn=warnings.append))
    assert sorted(d.message for d in warnings) == [
        "control character U+0000 read as a space",
        f"invalid UTF-8 byte at byte {bad_byte}",
    ]
    nul = next(d for d in warnings if "U+0000" in d.message)
    assert (nul.offset, nul.line, nul.column) == (text.index("\x00"), 1193, 6)
    assert len(got) == 800


@pytest.mark.parametrize("block_size", [4096, None], ids=["4k-blocks", "default-blocks"])
def test_card_rail_items_keep_their_source_across_block_cuts(
    monkeypatch: pytest.MonkeyPatch, context: Context, block_size: int | None
) -> None:
    if block_size:
        monkeypatch.setattr(ticker.reading, "BLOCK_SIZE", block_size)
    page = collapsed(SEED_TEXT)  # the user's page as scraped: one flat line
    one = parse_bytes(page.encode(), context)
    assert {r.source for r in one if r.kind == "rail"} == {"France 24"}
    copies = 10 if block_size else 3_000_000 // len(page)
    got = parse_bytes("\n".join([page] * copies).encode(), context)
    assert len(got) == len(one) * copies
    assert [r for r in got if r.kind == "rail" and r.source != "France 24"] == []


def test_cr_only_line_ends_keep_the_line_broken_layout(context: Context) -> None:
    # the headline ends in a tag word: only the layout says it is whole
    page = "31/07/2025\rTalks on the future of Europe\r30/07/2025\rCourt hears appeal\rEurope\r"
    got = [(r.headline, r.region) for r in parse_bytes(page.encode(), context)]
    assert got == [("Talks on the future of Europe", None), ("Court hears appeal", "Europe")]


def test_crlf_warnings_count_lines_once(tmp_path: Path) -> None:
    page = tmp_path / "crlf.txt"
    page.write_bytes(b"31/07/2025\r\nFerry strike ends\r\n30/02/2025\r\nCourt hears appeal\r\n")
    result = CliRunner().invoke(main, ["parse", str(page)])
    assert f"{page}:3:1: impossible date '30/02/2025'" in result.stderr


def test_impossible_date_warnings_are_capped_like_the_others(tmp_path: Path) -> None:
    page = tmp_path / "dates.txt"
    page.write_text("".join(f"3{d}/02/2025 Item {d} " for d in range(8)) + "\n")
    result = CliRunner().invoke(main, ["parse", str(page)])
    lines = result.stderr.splitlines()
    assert len([ln for ln in lines if "impossible date '3" in ln]) == 5
    assert lines[-1] == f"ticker: warning: {page}: ... and 3 more: impossible date"
    assert len(result.stdout.splitlines()) == 8  # every item still there


@pytest.mark.parametrize(
    ("codec", "hint"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")]
)
def test_utf16_without_a_bom_is_refused_with_a_hint(tmp_path: Path, codec: str, hint: str) -> None:
    page = tmp_path / "u16.txt"
    page.write_bytes(RAIL_TEXT.encode(codec))
    result = CliRunner().invoke(main, ["parse", str(page)])
    assert result.exit_code == 1
    assert result.stderr.endswith(f"(UTF-16 without a BOM? try --encoding {hint})\n")
    again = CliRunner().invoke(main, ["parse", "--encoding", codec, str(page)])
    assert headlines(again) == RAIL_HEADLINES
