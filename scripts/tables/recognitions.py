"""The states that recognized the genocide before an agreement thanked them, from recognitions.yaml, each by a quote."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pycountry

from .ids import actor_id, event_id
from .quotes import QuotedPages, gives_date, holds, real_date

PATH = "data/source/recognitions.yaml"


class Recognitions(QuotedPages):
    """Which states each agreement thanks, and the rows of the recognitions table."""

    def __init__(self, root: Path, schemas: dict[str, dict]):
        super().__init__(root, PATH, "recognitions", schemas, {"pages": {}, "agreements": []})

    def rows(self, agreements, actors, events) -> list[dict]:
        """One row per recognition of each agreement the file lists; refuses what its evidence does not hold."""
        signed = {row["agreement_id"]: row["date_signed"] for row in agreements}
        actor_ids = {row["actor_id"] for row in actors}
        event_actors = {row["event_id"]: row["actor_id"] for row in events}
        for key in self.pages:
            self.check_read_on(key)
        rows = []
        for index, entry in enumerate(self.data["agreements"]):
            agreement, where = entry["agreement_id"], ("agreements", index)
            if agreement not in signed:
                self.fail((*where, "agreement_id"), f"{agreement} is no agreement of data/source/",
                          "name the agreement's folder")
            actor = actor_id(agreement, entry["actor"])
            if actor not in actor_ids:
                self.fail((*where, "actor"), f"names actor {entry['actor']!r}, which the coding of {agreement} does "
                          "not define", "name the key of the actor in its coding.yaml that the states are read to be")
            event = event_id(agreement, entry["event_number"])
            if event_actors.get(event) != actor:
                self.fail((*where, "event_number"), f"event {entry['event_number']} of {agreement} is not an event of "
                          f"actor {entry['actor']!r}", "name the number of the event in its coding.yaml whose actor is "
                          "that actor")
            self.page(entry["basis"]["page"], (*where, "basis", "page"))
            if not holds(entry["basis"]["quote"], "genocide"):
                self.fail((*where, "basis", "quote"), "does not contain the word genocide",
                          "quote the statement that lists the recognitions")
            for number, recognition in enumerate(entry["recognitions"]):
                rows.append(self._row((*where, "recognitions", number), agreement, actor, event, signed[agreement],
                                      recognition))
        return rows

    def _row(self, where: tuple, agreement: str, actor: str, event: str, signed: dt.date, recognition: dict) -> dict:
        country = recognition["country"]
        if pycountry.countries.get(alpha_2=country) is None:
            self.fail((*where, "country"), f"{country!r} is not an ISO 3166-1 alpha-2 code",
                      "write the state's two-letter code, such as FR")
        date = real_date(recognition["date"])
        if date is None:
            self.fail((*where, "date"), f"{recognition['date']!r} is not a real date",
                      "write the date of the recognition, YYYY-MM-DD")
        if date >= signed:
            self.fail((*where, "date"), f"{date.isoformat()} is not before the agreement was signed "
                      f"({signed.isoformat()}): a later recognition is not one it could thank",
                      "remove it, or correct the date")
        self.page(recognition["page"], (*where, "page"))
        quote, date_quote = recognition["quote"], recognition.get("date_quote")
        if not holds(quote, "genocide"):
            self.fail((*where, "quote"), "does not contain the word genocide",
                      "quote the words of the page that say the body recognized a genocide")
        if not _dated(quote, date_quote, date):
            self.fail((*where, "date_quote" if date_quote else "quote"), f"does not give the date {date.isoformat()} "
                      "whole: its day, month and year, each as a word of its own", "correct the date to the one the "
                      "page gives, or quote the words of the page that date it (or its date line as date_quote)")
        return {"recognition_id": f"{agreement}-recognition-{country.lower()}-{recognition['body']}",
                "agreement_id": agreement, "actor_id": actor, "event_id": event, "country_code": country,
                "body": recognition["body"], "date": date, **self.cited(recognition["page"]), "quote": quote,
                "date_quote": date_quote, "note": recognition.get("note"), "is_inference": True}


def _dated(quote: str, date_quote: str | None, date: dt.date) -> bool:
    """The quotes give the date; a report dated the next day gives it as "yesterday"."""
    if gives_date(quote, date) or (date_quote is not None and gives_date(date_quote, date)):
        return True
    return date_quote is not None and holds(quote, "yesterday") and gives_date(date_quote, date + dt.timedelta(days=1))
