"""Shared fixtures: the seed speeches, and a generated corpus with planted
copies (made here, so the tests need nothing but the package)."""

import pathlib
import random
import re

import pytest

SEED = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "speeches.txt"
HEADING = re.compile(r"^(在全市高质量发展工作会议上的讲话篇\d+)$", re.M)


@pytest.fixture(scope="session")
def speeches():
    """The nine speeches, by their short names (篇1 … 篇9)."""
    parts = HEADING.split(SEED.read_text(encoding="utf-8"))
    return {parts[i][-2:]: parts[i + 1] for i in range(1, len(parts), 2)}


# Common characters of official prose, to draw sentences from.
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研",
)[0]


def _sentence(rng, length):
    return "".join(rng.choice(CHARS) for _ in range(length)) + "。"


def _document(rng):
    return "\n".join(
        "".join(_sentence(rng, rng.randint(12, 30)) for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(3, 8))
    )


def _edited(rng, text):
    """A copy with a few characters changed and a line added."""
    chars = list(text)
    for _ in range(max(1, len(chars) // 200)):
        chars[rng.randrange(len(chars))] = rng.choice(CHARS)
    return "".join(chars) + "\n" + _sentence(rng, 15)


def generated(n, seed=7):
    """``n`` documents, about a fifth of them copies (exact or edited) of
    another: a list of ``(id, text)``."""
    rng = random.Random(seed)
    docs = []
    for k in range(n):
        if docs and rng.random() < 0.2:
            _, original = docs[rng.randrange(len(docs))]
            text = original if rng.random() < 0.5 else _edited(rng, original)
        else:
            text = _document(rng)
        docs.append((f"d{k:06d}", text))
    return docs


@pytest.fixture(scope="session")
def corpus():
    return generated(3000)
