"""Take the README's and docs' screenshots from a running demo, as the role each page is for.

    make demo                       # in one terminal (or: manage.py demo, then manage.py serve)
    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--only queue,ticket] [--out docs/screenshots]

Drives Debian's chromium through Playwright (as the browser tests do), signs in through the real
login form as ``manager``, ``lead``, ``agent`` or ``customer`` (the demo's password), opens each
page at 1400 x 900 in Europe/London (a detail page: the first link of its kind on a list page) and
saves a PNG of the top of the page (900 px, more for a few long pages). The agent goes Online first. A shot whose page is missing (an empty demo, a renamed URL) is reported and
the others go on; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "frontline-demo"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _note(page: Page) -> None:
    """The reply box switched to an internal note, with a line written."""
    page.get_by_label("Internal note").check()
    page.locator("textarea").first.fill("Called the customer: the refund went out today, reference R-2291.")


def _widget(page: Page) -> None:
    """The chat widget open on the demo host page."""
    page.locator("button").first.click()
    page.wait_for_timeout(800)


@dataclass(frozen=True)
class Shot:
    name: str  # docs/screenshots/<name>.png
    user: str | None  # who signs in; None: nobody (a public page)
    path: str  # the page, or the list page to follow ``links`` from; ``{last_week}``: the day a week ago
    links: tuple[str, ...] = ()  # regexes on hrefs: open the first matching link, then from there the next
    then: Callable[[Page], None] | None = None  # something to do on the page before the shot
    height: int = 900  # how much of the page's top the picture shows (the window's height), px


SHOTS = [
    Shot("queue", "agent", "/tickets/"),
    Shot("ticket", "agent", "/tickets/?view=all&status=open", (r"^/tickets/\d+/$",)),
    Shot("ticket-note", "agent", "/tickets/?view=all&status=open", (r"^/tickets/\d+/$",), then=_note),
    Shot("profile", "agent", "/people/me/"),
    Shot("portal", "customer", "/portal/"),
    Shot("people", "lead", "/people/"),
    Shot("workforce-overview", "manager", "/workforce/", height=1100),
    Shot("forecast-detail", "manager", "/workforce/forecasts/", (r"^/workforce/forecasts/\d+/$",), height=1400),
    Shot("staffing-plan", "manager", "/workforce/staffing/", (r"^/workforce/staffing/\d+/$",), height=1400),
    Shot("schedule-board", "manager", "/workforce/schedules/", (r"^/workforce/schedules/\d+/$",), height=1300),
    Shot("my-schedule", "agent", "/workforce/schedules/mine/"),
    Shot("adherence", "manager", "/workforce/schedules/adherence/"),
    Shot("adherence-now", "manager", "/workforce/schedules/adherence/now/"),
    Shot("budget", "manager", "/workforce/budget/", (r"^/workforce/budget/\d+/$",), height=1300),
    Shot("budget-compare", "manager", "/workforce/budget/", (r"^/workforce/budget/\d+/compare/\d+/$",)),
    Shot("metrics", "manager", "/metrics/?period=week&date={last_week}", height=1300),
    Shot("quality-home", "lead", "/quality/"),
    Shot("quality-review", "lead", "/quality/reviews/", (r"^/quality/reviews/\d+/$",), height=1200),
    Shot("calibration", "manager", "/quality/calibrations/", (r"^/quality/calibrations/\d+/$",), height=1200),
    Shot("coaching-mine", "agent", "/coaching/"),
    Shot("insights", "manager", "/insights/", height=1100),
    Shot("insights-report", "manager", "/insights/report/"),
    Shot("automations", "manager", "/automations/"),
    Shot("phone", "agent", "/phone/"),
    Shot("chat-queue", "lead", "/chat/"),
    Shot("chat-report", "manager", "/chat/report/", height=1100),
    Shot("chat-widget", None, "/chat/demo/", then=_widget),
    Shot("sla", "manager", "/sla/policies/"),
    Shot("escalations", "manager", "/escalations/"),
    Shot("surveys", "manager", "/surveys/"),
    Shot("routing", "manager", "/routing/"),
]


def _sign_in(page: Page, base: str, user: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(lambda url: "/login/" not in url)


def take(shot: Shot, page: Page, base: str, out: Path) -> None:
    page.goto(base + shot.path.format(last_week=(date.today() - timedelta(days=7)).isoformat()))
    for link in shot.links:
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        target = next((h for h in hrefs if re.match(link, h)), None)
        if target is None:
            raise LookupError(f"no link like {link} on {page.url}")
        page.goto(f"{base}{target}")
    page.wait_for_load_state("load")
    # A page with a long poll (the chat workspace) never goes quiet: it is shot as loaded.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=5_000)
    if shot.then is not None:
        shot.then(page)
    page.screenshot(path=str(out / f"{shot.name}.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--only", default="", help="comma-separated shot names")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1400, help="the window's width, px (390: a phone, to look at)")
    parser.add_argument("--page", action="append", default=[], metavar="ROLE:PATH",
                        help="any page as one role instead of the listed shots, e.g. manager:/surveys/?days=365 "
                             "(saved as page-1.png, page-2.png ...; repeatable)")
    parser.add_argument("--height", type=int, default=1100, help="with --page: how much of each page's top, px")
    args = parser.parse_args()
    wanted = {n for n in args.only.split(",") if n}
    shots = [s for s in SHOTS if not wanted or s.name in wanted]
    if args.page:
        pages = [p.split(":", 1) for p in args.page]
        if any(len(p) != 2 or not p[1].startswith("/") for p in pages):
            parser.error("--page: ROLE:PATH, the path starting with /")
        shots = [Shot(f"page-{n}", None if role == "public" else role, path, height=args.height)
                 for n, (role, path) in enumerate(pages, 1)]
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for user in dict.fromkeys(s.user for s in shots):
            context = browser.new_context(viewport={"width": args.width, "height": 900}, timezone_id="Europe/London")
            page = context.new_page()
            if user is not None:
                _sign_in(page, args.url, user)
            if user == "agent":
                online = page.get_by_role("button", name="Go online")
                if online.count():
                    online.first.click()
            for shot in (s for s in shots if s.user == user):
                page.set_viewport_size({"width": args.width, "height": shot.height})
                try:
                    take(shot, page, args.url, args.out)
                    print(f"{shot.name}.png  ({user or 'signed out'}: {page.url.removeprefix(args.url)})")
                except Exception as exc:  # report it, take the others
                    failed.append(shot.name)
                    print(f"{shot.name}: FAILED: {exc}", file=sys.stderr)
            context.close()
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
