"""``frontline mail ingest``: the JSON contract, stdin, exit status."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from frontline import cli
from frontline.mail.models import InboundEmail, Mailbox

from .conftest import CORPUS

pytestmark = pytest.mark.django_db
KEYS = ["file", "outcome", "ticket", "reference", "message", "subject", "from_name", "from_email", "text",
        "attachments", "acknowledged", "kept", "error"]


def _run_json(capsys, *args):  # type: ignore[no-untyped-def]
    """Through call_command: ``frontline``'s own entry point closes the database connection at the end."""
    call_command("mail", "ingest", *map(str, args), "--json")
    return 0, json.loads(capsys.readouterr().out)


def test_the_frontline_command_runs_it(capsys):
    code = cli.main(["mail", "ingest", str(CORPUS / "01_plain.eml"), "--json"])
    assert (code, json.loads(capsys.readouterr().out)["messages"][0]["outcome"]) == (0, "created")


def test_json_has_one_entry_per_input_in_order_with_exactly_the_keys(capsys):
    files = [CORPUS / "01_plain.eml", CORPUS / "02_reply_in_reply_to.eml", CORPUS / "01_plain.eml"]
    code, out = _run_json(capsys, *files)
    assert (code, list(out)) == (0, ["messages"])
    assert [list(m) for m in out["messages"]] == [KEYS] * 3
    assert [(m["file"], m["outcome"]) for m in out["messages"]] == [
        (str(files[0]), "created"), (str(files[1]), "threaded"), (str(files[2]), "duplicate")]
    assert out["messages"][0]["reference"] == f"[#{out['messages'][0]['ticket']}]"


def test_a_failed_message_is_kept_and_exits_zero(capsys):
    code, out = _run_json(capsys, CORPUS / "25_no_from.eml")
    [entry] = out["messages"]
    assert (code, entry["outcome"], entry["kept"], InboundEmail.objects.count()) == (0, "failed", True, 1)
    assert "no sender" in entry["error"]


def test_an_unreadable_file_is_a_failed_entry_and_a_non_zero_exit(capsys, tmp_path):
    missing = tmp_path / "missing.eml"
    with pytest.raises(SystemExit) as exit_:
        call_command("mail", "ingest", str(CORPUS / "01_plain.eml"), str(missing), "--json")
    out = json.loads(capsys.readouterr().out)
    assert exit_.value.code == 1
    assert [(m["outcome"], m["kept"]) for m in out["messages"]] == [("created", True), ("failed", False)]
    assert str(missing) in out["messages"][1]["error"]


def test_dash_reads_one_message_from_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((CORPUS / "09_mixed_pdf.eml").read_bytes())))
    code, out = _run_json(capsys, "-")
    [entry] = out["messages"]
    assert (code, entry["file"], entry["outcome"], entry["attachments"]) == (0, "-", "created", ["contract.pdf"])


def test_mailbox_option_names_a_configured_mailbox(capsys):
    mailbox = Mailbox.objects.create(address="help@frontline.localhost")
    code, _out = _run_json(capsys, "--mailbox", "HELP@frontline.localhost", CORPUS / "01_plain.eml")
    assert (code, InboundEmail.objects.get().mailbox) == (0, mailbox)


def test_unknown_mailbox_is_a_usage_error():
    with pytest.raises(CommandError, match="No mailbox"):
        call_command("mail", "ingest", "--mailbox", "nobody@example.com", str(CORPUS / "01_plain.eml"))


def test_plain_output_is_one_line_per_message(capsys):
    call_command("mail", "ingest", str(CORPUS / "01_plain.eml"), str(CORPUS / "19_precedence_bulk.eml"))
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1].split(" ")[0] for line in lines] == ["created", "auto_reply"]


def test_a_message_that_cannot_be_stored_asks_the_mta_to_try_again(capsys, monkeypatch):
    from django.db import OperationalError

    from frontline.mail.management.commands import mail as command

    def database_down(**kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(command, "email_ingest", database_down)
    with pytest.raises(SystemExit) as exit_:
        call_command("mail", "ingest", str(CORPUS / "01_plain.eml"), "--json")
    [entry] = json.loads(capsys.readouterr().out)["messages"]
    assert (exit_.value.code, entry["outcome"], entry["kept"]) == (75, "failed", False)
    assert "could not connect" in entry["error"]
