"""The mixed workload of the load run (bench/load/run.py starts Locust on it, headless, 127.0.0.1 only).

Who does what, and why these shares (docs/adr/0022): the national service takes about 2.5 million
records a year, most of them from local risk management systems (LRMS) over the API and the rest typed
in by staff; organisation and ICB users review, filter, search and download what came in.

- Lrms (API): batches of AdverseEvent POSTs, each with an Idempotency-Key, and PUTs of records sent
  earlier (one in five operations), paced so that all LRMS users together send LOAD_API_RATE a second.
  A 429 or 503 is retried with the same key after Retry-After; so is a request whose answer was lost.
- StaffRecorder (signed in) and AnonymousRecorder: the whole form, page by page, one GET and one POST
  per question, a Change link from "Review your answers", submit, the reference read from "Record
  Submitted". One journey in four is left half-way (a draft) and continued on the next round. A draft
  that answers 404 is lost: written down once ($LOAD_LOG_DIR/accepted.jsonl, "draft-lost") and given
  up for a new one; a sign-in page instead means the session ended: the recorder signs in again and
  goes back to the draft.
- Reviewer (organisation admin at Leeds Teaching Hospitals) and IcbReviewer (NHS West Yorkshire ICB):
  the organisation dashboard with filters and text search, a record page, a CSV download now and then.
- AccessUser: the access-request and user-management screens.

Every request is appended to $LOAD_LOG_DIR/requests.csv (time, group, name, status, milliseconds);
every accepted submission (API 201 or 200, reference on "Record Submitted") to
$LOAD_LOG_DIR/accepted.jsonl, which the reconciliation checks against the database. Free text carries
identifiers planted for the watcher (bench/load/watch.py): a unique e-mail address, mobile number and
NHS number, and the names below.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, constant_pacing, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

from bench.load.payloads import lrms_payload, staff_answers
from events.questionnaire import REVIEW, Journey, form_data, latest_version, load_question_set

LOG_DIR = Path(os.environ.get("LOAD_LOG_DIR", "."))
API_KEYS = json.loads(Path(os.environ.get("LOAD_API_KEYS", LOG_DIR / "api-keys.json")).read_text())
API_RATE = float(os.environ.get("LOAD_API_RATE", "20"))  # submissions a second, all LRMS users together
API_USERS = int(os.environ.get("LOAD_API_USERS", "8"))
API_BATCH = int(os.environ.get("LOAD_API_BATCH", "10"))
PASSWORD = "Demo-Passw0rd"  # noqa: S105 - the demo accounts' published password
QS = load_question_set(latest_version())
API_PATH = "/adverse-event/fhir/AdverseEvent"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r'data-testid="reference">(\d{3}-\d{3}-\d{3})<')
CSV_LINK = re.compile(r'href="/organisation/events/download/csv/\?[^"]*"')
RECORD_LINK = re.compile(r'href="/organisation/events/(\d{9}|\d{3}-\d{3}-\d{3})/"')

_lock = threading.Lock()
_requests = (LOG_DIR / "requests.csv").open("a", buffering=1)
_accepted = (LOG_DIR / "accepted.jsonl").open("a", buffering=1)


def group_of(name: str) -> str:
    return name.split(":", 1)[0]


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    note = str(exception) if exception is not None and str(exception).startswith("CHECK ") else ""
    with _lock:
        _requests.write(
            f"{time.time():.3f},{group_of(name)},{name},{status},{response_time:.1f},{note[6:]}\n"
        )


def accepted(kind: str, **fields) -> None:
    with _lock:
        _accepted.write(json.dumps({"kind": kind, "at": time.time(), **fields}) + "\n")


class Browser(HttpUser):
    abstract = True
    host = os.environ.get("LOAD_HOST", "http://127.0.0.1:8104")

    def page(self, method: str, url: str, name: str, data=None, expect=(200, 302), tries: int = 3):
        """A request as a person makes it: on 503 (or no answer) wait for Retry-After and try again."""
        for cookie in self.client.cookies:
            # The production settings mark cookies Secure; TLS is not terminated on this loopback stack.
            cookie.secure = False
        for attempt in range(tries):
            with self.client.request(
                method, url, name=name, data=data, allow_redirects=False, catch_response=True, timeout=30
            ) as response:
                self.last_status = response.status_code
                if response.status_code in expect:
                    response.success()
                    return response
                if response.status_code == 404 and "/record/" in url and "review" not in url:
                    response.failure("CHECK draft-lost")  # a draft saved earlier must still be there
                elif response.status_code == 503 and (
                    "Sorry, there is a problem with the service" not in (response.text or "")
                    or "Retry-After" not in response.headers
                ):
                    response.failure("CHECK 503-without-problem-page-or-retry-after")
                else:
                    response.failure(f"{response.status_code}")
                retry = response.headers.get("Retry-After") if response.status_code else None
            if attempt + 1 < tries:
                time.sleep(min(float(retry or 2), 10) * random.uniform(0.5, 1.0))
        return None

    def sign_in(self, email: str) -> None:
        response = self.page("GET", "/accounts/login/", "sign-in: page")
        if response is None:
            raise StopUser()
        token = CSRF.search(response.text)
        response = self.page(
            "POST",
            "/accounts/login/",
            "sign-in: post",
            data={"csrfmiddlewaretoken": token.group(1), "login": email, "password": PASSWORD},
            expect=(302,),
        )
        if response is None:
            raise StopUser()


# -- staff recording page by page ------------------------------------------------------------------
def signed_out(response) -> bool:
    return response.status_code == 302 and response.headers.get("Location", "").startswith("/accounts/login/")


class Recorder(Browser):
    abstract = True
    anonymous = False
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.draft: tuple[str, str, dict] | None = None  # (key, next page, answers) left half-way
        self.lost: set[str] = set()  # drafts that answered 404: given up, as a person would
        if not self.anonymous:
            self.sign_in("standard@nhs.net")

    def on_draft(self, key: str, method: str, url: str, name: str, **kwargs):
        """page() on one of this recorder's drafts; None when it did not answer as it should.

        A draft that answers 404 (after page()'s tries) is lost: written down once (the reconciliation
        counts distinct drafts) and given up, as a person would, who starts a new record next round. A
        sign-in page instead (the session ended) is not a lost draft: the recorder signs in again and
        comes back to the draft next round, as the sign-in page's next= would bring them."""
        response = self.page(method, url, name, **kwargs)
        if response is None:
            if getattr(self, "last_status", None) == 404 and key not in self.lost:
                self.lost.add(key)
                accepted("draft-lost", draft=key, anonymous=self.anonymous)
            return None
        if signed_out(response):
            if self.anonymous:  # signing in cannot open an anonymous draft: as lost as a 404
                self.lost.add(key)
                accepted("draft-lost", draft=key, anonymous=True)
            else:
                accepted("draft-signed-out", draft=key, anonymous=False)
                self.sign_in("standard@nhs.net")
            return None
        return response

    def keep(self, key: str, page_id: str, answers: dict) -> None:
        """Comes back to the draft next round, unless it was lost."""
        self.draft = None if key in self.lost else (key, page_id, answers)

    @task
    def record(self) -> None:
        if self.draft is not None:
            key, page_id, answers = self.draft
            self.draft = None
            if self.on_draft(key, "GET", f"/record/{key}/", "form: task list") is None:
                self.keep(key, page_id, answers)
                return
        else:
            start = "/record-anonymously/" if self.anonymous else "/record/"
            response = self.page("GET", start, "form: start")
            if response is not None and signed_out(response):  # the session ended: sign in again
                self.sign_in("standard@nhs.net")
                return
            if response is None:
                return
            response = self.page(
                "POST",
                start,
                "form: start post",
                data={"csrfmiddlewaretoken": CSRF.search(response.text).group(1)},
            )
            if response is None or response.status_code != 302:
                return
            if signed_out(response):
                self.sign_in("standard@nhs.net")
                return
            key = response.headers["Location"].split("/")[2]
            answers = staff_answers()
            page_id = "EventType"
        leave_after = random.randrange(3, 12) if random.random() < 0.25 else None
        self.walk(key, page_id, answers, leave_after)

    def walk(self, key: str, page_id: str, answers: dict, leave_after: int | None) -> None:
        journey = Journey(QS, answers, anonymous=self.anonymous)
        for count in itertools.count():
            if page_id == REVIEW:
                break
            if leave_after is not None and count == leave_after:
                self.draft = (key, page_id, answers)  # comes back to it on the next round
                return
            url = f"/record/{key}/{page_id}/"
            response = self.on_draft(key, "GET", url, "form: question")
            if response is None:
                self.keep(key, page_id, answers)
                return
            question = journey.page(page_id).question
            number = page_id.split("-")[1] if page_id.startswith("patients-") else None
            source = answers["patients"][int(number) - 1] if number else answers
            data = form_data(question, source)
            data["csrfmiddlewaretoken"] = CSRF.search(response.text).group(1)
            response = self.on_draft(key, "POST", url, "form: question post", data=data, expect=(302,))
            if response is None:
                self.keep(key, page_id, answers)
                return
            location = response.headers["Location"].split("?")[0]
            answered, page_id = page_id, location.rstrip("/").split("/")[-1]
            if page_id == key:  # the task list (after the event type): on to the next section
                page_id = journey.next_page(answered)
            time.sleep(random.uniform(0.2, 0.8))  # reading the next question
        self.review_and_submit(key)

    def review_and_submit(self, key: str) -> None:
        review = self.on_draft(key, "GET", f"/record/{key}/review/", "form: review")
        if review is None:
            self.keep(key, "review", {})
            return
        if random.random() < 0.5:  # a Change link, then back to the review
            change = f"/record/{key}/Process/?mode=change"
            response = self.on_draft(key, "GET", change, "form: change")
            if response is not None:
                token = CSRF.search(response.text).group(1)
                self.page(
                    "POST", change, "form: change post", data={"Process": "7", "csrfmiddlewaretoken": token}
                )
            review = self.on_draft(key, "GET", f"/record/{key}/review/", "form: review")
            if review is None:
                self.keep(key, "review", {})
                return
        sent = time.time()
        accepted("form-intent", intent=key, sent=sent)
        token = CSRF.search(review.text).group(1)
        response = self.page(
            "POST",
            f"/record/{key}/review/",
            "form: submit",
            data={"csrfmiddlewaretoken": token},
            expect=(302,),
            tries=1,
        )
        if response is None or response.status_code != 302:
            accepted("form-unknown", intent=key, sent=sent)  # no answer: the reconciliation allows for it
            return
        response = self.page("GET", "/record/submitted/", "form: submitted")
        match = REFERENCE.search(response.text) if response is not None else None
        if match is None:
            accepted("form-unknown", intent=key, sent=sent)
            return
        accepted(
            "form", reference=match.group(1).replace("-", ""), sent=sent, anonymous=self.anonymous, intent=key
        )


class StaffRecorder(Recorder):
    weight = 4


class AnonymousRecorder(Recorder):
    weight = 1
    anonymous = True


# -- LRMS uploads over the API ---------------------------------------------------------------------
_lrms_numbers = itertools.count()


class Lrms(FastHttpUser):
    """Fixed count (LOAD_API_USERS): a batch of API_BATCH operations, then a pause so that all of them
    together send API_RATE a second. Locust's faster client (geventhttpclient): the load generator
    shares the two cores with the service, and these users send most of its requests."""

    fixed_count = API_USERS
    network_timeout = 30.0
    host = os.environ.get("LOAD_HOST", "http://127.0.0.1:8104")
    wait_time = constant_pacing(API_BATCH * API_USERS / API_RATE)

    def on_start(self) -> None:
        trusts = sorted(API_KEYS)
        self.trust = trusts[next(_lrms_numbers) % len(trusts)]
        self.key, self.site = API_KEYS[self.trust]["key"], API_KEYS[self.trust]["site"]
        self.sent: list[list] = []  # [id, version] of records this system sent

    def payload(self, resource_id: str | None = None) -> dict:
        return lrms_payload(self.trust, self.site, resource_id)

    def send(self, method: str, url: str, name: str, body: dict, headers: dict, until: float):
        """Until a definite answer: 429/503 wait for Retry-After; no answer is sent again (same key)."""
        while time.time() < until:
            with self.client.request(
                method,
                url,
                name=name,
                data=json.dumps(body),
                headers={
                    "Ocp-Apim-Subscription-Key": self.key,
                    "Content-Type": "application/fhir+json",
                    **headers,
                },
                catch_response=True,
            ) as response:
                status = response.status_code
                if status in (200, 201, 409, 412):
                    response.success()
                    return response
                retry = response.headers.get("Retry-After") if status in (429, 503) else None
                if status in (429, 503) and retry is None:
                    response.failure(f"CHECK {status}-without-retry-after")
                else:
                    response.failure(str(status))
            time.sleep(min(float(retry or 1), 10) * random.uniform(0.5, 1.0))
        return None

    @task
    def batch(self) -> None:
        until = time.time() + 300
        for _ in range(API_BATCH):
            if self.sent and random.random() < 0.2:
                self.update(random.choice(self.sent), until)
            else:
                self.create(until)

    def create(self, until: float) -> None:
        key = str(uuid.uuid4())
        sent = time.time()
        # Written before sending: a request cut off when the run stops still counts as one whose
        # answer never came (the reconciliation allows a record for it).
        accepted("api-intent", intent=key, sent=sent)
        response = self.send("POST", API_PATH, "api: POST", self.payload(), {"Idempotency-Key": key}, until)
        if response is None or response.status_code != 201:
            accepted("api-unknown", intent=key, sent=sent)
            return
        resource_id = response.json()["id"]
        self.sent.append([resource_id, 1])
        accepted("api", id=resource_id, version=1, sent=sent, trust=self.trust, intent=key)

    def update(self, record: list, until: float) -> None:
        resource_id, version = record
        sent = time.time()
        intent = str(uuid.uuid4())
        accepted("api-put-intent", id=resource_id, intent=intent, sent=sent)
        response = self.send(
            "PUT",
            f"{API_PATH}/{resource_id}",
            "api: PUT",
            self.payload(resource_id),
            {"If-Match": f'W/"{version}"'},
            until,
        )
        if response is None:
            accepted("api-put-unknown", id=resource_id, sent=sent, intent=intent)
            return
        if response.status_code in (409, 412):
            # An earlier try of this PUT was stored but its answer lost: read the version it made.
            current = self.client.get(
                f"{API_PATH}/{resource_id}", headers={"Ocp-Apim-Subscription-Key": self.key}, name="api: GET"
            )
            if current.status_code != 200:
                accepted("api-put-unknown", id=resource_id, sent=sent, intent=intent)
                return
            record[1] = int(current.json()["meta"]["versionId"])
        else:
            record[1] = int(response.json()["meta"]["versionId"])
        accepted("api", id=resource_id, version=record[1], sent=sent, trust=self.trust, intent=intent)


# -- reviewers, dashboards, CSV --------------------------------------------------------------------
HARMS = ["1", "2", "3", "4", "5"]
SEARCHES = ["morphine", "fall", "infusion pump", "pressure ulcer", "wrong patient", "delayed"]


class Reviewer(Browser):
    weight = 2
    email = "provider.admin@nhs.net"
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.sign_in(self.email)
        self.references: list[str] = []

    def filters(self) -> str:
        choice = random.random()
        if choice < 0.3:
            return f"q={random.choice(SEARCHES).replace(' ', '+')}"
        if choice < 0.55:
            return f"physical_harm={random.choice(HARMS)}&sort=-created"
        if choice < 0.75:
            return "event_type=1&category=4&sort=-event_date"
        if choice < 0.9:
            return f"status=recorder_submitted&q={random.choice(SEARCHES).replace(' ', '+')}"
        return ""

    @task(6)
    def dashboard(self) -> None:
        response = self.page("GET", f"/organisation/events/?{self.filters()}", "dashboard: list")
        if response is not None:
            self.references = RECORD_LINK.findall(response.text)[:20] or self.references

    @task(3)
    def record(self) -> None:
        if self.references:
            reference = random.choice(self.references)
            self.page("GET", f"/organisation/events/{reference}/", "record: page")

    @task(1)
    def download(self) -> None:
        since = dt.date.today() - dt.timedelta(days=7)
        query = (
            f"created_from_day={since.day}&created_from_month={since.month}&created_from_year={since.year}"
        )
        response = self.page("GET", f"/organisation/events/download/?{query}", "csv: page")
        link = CSV_LINK.search(response.text) if response is not None else None
        if link is not None:
            self.page("GET", html.unescape(link.group(0)[6:-1]), "csv: download")


class IcbReviewer(Reviewer):
    weight = 1
    email = "icb.admin@nhs.net"


class AccessUser(Browser):
    weight = 1
    wait_time = between(3, 6)

    def on_start(self) -> None:
        self.sign_in("provider.admin@nhs.net")

    @task
    def screens(self) -> None:
        for url in (
            "/access/organisations/",
            "/access/requests/",
            "/access/organisations/add/",
            "/access/users/",
        ):
            self.page("GET", url, "access: page")
            time.sleep(random.uniform(0.5, 1.5))
