"""Templates for eval/appended.py: blocks appended to real articles, and genuine controls.

Everything here is written for the measurement (not shipped, not read by the library). Each block type has
two disjoint template families, ``dev`` (the detector was tuned while reading its misses) and ``held``
(measured only, never read while tuning), with their own name lists, so that the held-out figure shows how
far the detector fits the dev wording rather than the signals.

A block is built from the article it is appended to (``Facts``: its topic words and one sentence with a
figure or a name) so that it restates the story the way content farms do, sometimes with a swapped fact.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

BLOCK_TYPES = ("interview", "faq", "takeaways", "what_this_means", "expert_commentary", "conclusion", "chatbot",
               "tags")
CONTROL_TYPES = ("transcript_page", "grounded_qa", "related_list", "author_bio")

NAMES = {
    "dev": (("Emily", "Carter"), ("Mark", "Holloway"), ("Sarah", "Lindqvist"), ("James", "Okafor"),
            ("Laura", "Brennan"), ("Daniel", "Weiss"), ("Priya", "Raman"), ("Thomas", "Fairbanks")),
    "held": (("Helen", "Marsh"), ("Victor", "Anand"), ("Claire", "Dubois"), ("Robert", "Kimani"),
             ("Naomi", "Sato"), ("Peter", "Valdez"), ("Grace", "Whitfield"), ("Omar", "Haddad")),
}
FIELDS = {
    "dev": ("International Relations", "Economics", "Public Policy", "Security", "Energy Policy"),
    "held": ("Geopolitics", "Financial Markets", "Political Science", "Global Affairs", "Media Studies"),
}
PLACES = {"dev": ("Stanford University", "the Global Policy Institute", "King's College London"),
          "held": ("the Brookfield Centre", "Columbia University", "the Institute for Strategic Studies")}


@dataclass(frozen=True, slots=True)
class Facts:
    """What a block may borrow from its article: topic phrases, a sentence with a swapped fact."""

    topic: str
    topic2: str
    swapped: str  # an article sentence with one figure or name changed ("" when none could be changed)
    title: str


_CAPS = re.compile(r"(?<![.!?\n]\s)(?<!^)\b[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)*")
_NOT_TOPIC = frozenset({"The", "He", "She", "It", "They", "But", "And", "In", "On", "Mr", "Mrs", "Ms", "Dr", "We",
                        "This", "That", "A", "An", "At", "As", "If", "For", "Monday", "Tuesday", "Wednesday",
                        "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
                        "June", "July", "August", "September", "October", "November", "December", "I", "His", "Her"})


def facts_of(title: str, body: str, rng: random.Random) -> Facts:
    caps = Counter(m.group(0) for m in _CAPS.finditer(body) if m.group(0).split()[0] not in _NOT_TOPIC)
    top = [c for c, _ in caps.most_common(4)] or [w for w in title.split() if len(w) > 4][:2] or ["the story"]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", body) if 8 <= len(s.split()) <= 40 and '"' not in s
                 and "“" not in s]
    swapped = ""
    for s in rng.sample(sentences, len(sentences)):
        m = re.search(r"\b\d[\d,]*(?:\.\d+)?\b", s)
        if m and not re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
            value = float(m.group(0).replace(",", ""))
            new = value * rng.choice((3, 5, 10)) + rng.choice((0, 7, 12))
            swapped = s[:m.start()] + (f"{new:,.0f}" if value >= 1 else f"{new:.1f}") + s[m.end():]
            break
        names = [c for c in caps if c in s]
        others = [c for c in top if c not in s]
        if names and others:
            swapped = s.replace(names[0], others[0], 1)
            break
    return Facts(top[0], top[1] if len(top) > 1 else top[0], swapped.strip(), title)


@dataclass(frozen=True, slots=True)
class Style:
    """How a block is laid out: markdown header, bold turn labels, turn labels (question, answer)."""

    header: str  # "", "plain", "md", "bold"
    bold: bool
    qa: str  # "role" (Interviewer / Dr. X), "qa" (Q / A), "name" (Interviewer / Lastname)


def header(text: str, style: Style) -> str:
    if style.header == "md":
        return f"## {text}\n"
    if style.header == "bold":
        return f"**{text}**\n"
    return f"{text}\n" if style.header == "plain" else ""


def _label(label: str, style: Style) -> str:
    return f"**{label}:**" if style.bold else f"{label}:"


# --- generic sentences: the filler, written twice (dev / held) -------------------------------------------

GENERIC = {
    "dev": (
        "This is indeed a concerning development that raises many questions about {t}.",
        "The situation highlights the broader implications for everyone involved with {t}.",
        "It is crucial for all stakeholders to remain engaged as events around {t} unfold.",
        "Moreover, this could reshape the way the public thinks about {t2} in the years ahead.",
        "There are likely multiple motivations at play, and the full picture will take time to emerge.",
        "Ultimately, transparency and dialogue will be key to addressing the concerns around {t}.",
        "This development underscores the importance of careful planning and open communication.",
        "Observers should watch closely how {t2} responds to these pressures over the coming months.",
    ),
    "held": (
        "What we are seeing with {t} reflects deeper trends that have been building for a long time.",
        "Many people are understandably worried, and those worries deserve to be taken seriously.",
        "The long-term consequences for {t2} are difficult to predict with any certainty.",
        "A balanced approach that weighs the interests of all parties is essential here.",
        "History shows that moments like this can become turning points for {t}.",
        "Clear leadership and consistent messaging will make a significant difference going forward.",
        "Everyone affected by {t} should stay informed and think carefully about the options available.",
        "The coming weeks will reveal whether {t2} can meet expectations.",
    ),
}
QUESTIONS = {
    "dev": ("What do you make of the latest news about {t}?", "Why does {t} matter so much right now?",
            "What could be the motivation behind these decisions?", "What should people be prepared for next?",
            "How might {t2} respond to this situation?"),
    "held": ("How would you describe the significance of what happened with {t}?",
             "Who stands to be affected most by these events?", "Is there a risk that things escalate further?",
             "What role does {t2} play in all of this?", "What advice would you give to ordinary readers?"),
}
CHATBOT = {
    "dev": ("I hope this helps! Let me know if you would like me to adjust the tone or length.",
            "As an AI language model, I do not have personal opinions, but I can summarize the key points.",
            "Sure! Here is a revised version of the article with a more engaging introduction.",
            "Feel free to ask if you need more details about {t}."),
    "held": ("Certainly! Below is an expanded version that you can publish on your blog.",
             "Please note that as an AI, I cannot verify events after my knowledge cutoff.",
             "Let me know if you want a shorter version or additional sections on {t}.",
             "I hope you found this overview of {t} useful."),
}
THANKS = {"dev": ("Thank you for joining us today, {n}.", "Thank you for having me."),
          "held": ("We appreciate you taking the time to speak with us, {n}.", "It's a pleasure to be here.")}


def _fill(s: str, f: Facts, n: str = "") -> str:
    return s.format(t=f.topic, t2=f.topic2, n=n)


def _generic(split: str, f: Facts, rng: random.Random, k: int) -> list[str]:
    return [_fill(s, f) for s in rng.sample(GENERIC[split], k)]


def _answer(split: str, f: Facts, rng: random.Random, with_fact: bool) -> str:
    parts = _generic(split, f, rng, rng.choice((2, 3)))
    if with_fact and f.swapped:
        parts.insert(1, f.swapped)
    return " ".join(parts)


def _person(split: str, rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(NAMES[split])
    title = rng.choice(("Dr.", "Professor", "Dr.", ""))
    full = f"{title} {first} {last}".strip()
    return full, (f"{title} {last}".strip() if title else last), rng.choice(FIELDS[split])


# --- appended blocks ---------------------------------------------------------------------------------------


def interview(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    full, short, field = _person(split, rng)
    heads = {"dev": (f"Interview with {full}, {field} Expert", f"Q&A with {full}"),
             "held": (f"An Interview with {full} on {f.topic}", f"In conversation: {full}, {field} Analyst")}
    q_label = {"role": "Interviewer", "qa": "Q", "name": rng.choice(("Interviewer", "Host"))}[st.qa]
    a_label = {"role": short, "qa": "A", "name": full.split()[-1]}[st.qa]
    lines = [header(rng.choice(heads[split]), st)]
    thanks_q, thanks_a = THANKS[split]
    questions = rng.sample(QUESTIONS[split], rng.choice((3, 4)))
    fact_at = rng.randrange(len(questions))
    for k, q in enumerate(questions):
        q = (_fill(thanks_q, f, short) + " " if k == 0 else "") + _fill(q, f)
        a = (_fill(thanks_a, f) + " " if k == 0 else "") + _answer(split, f, rng, k == fact_at)
        lines += [f"{_label(q_label, st)} {q}\n", f"{_label(a_label, st)} {a}\n"]
    return "".join(lines)


def faq(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    heads = {"dev": ("FAQ", "Frequently Asked Questions"), "held": ("FAQs", f"Your questions about {f.topic}")}
    lines = [header(rng.choice(heads[split]), st)]
    questions = rng.sample(QUESTIONS[split], 3)
    for k, q in enumerate(questions):
        q, a = _fill(q, f), _answer(split, f, rng, k == 1)
        if st.qa == "qa":
            lines += [f"{_label('Q', st)} {q}\n", f"{_label('A', st)} {a}\n"]
        else:
            lines += [f"**{q}**\n" if st.bold else f"{q}\n", f"{a}\n"]
    return "".join(lines)


def takeaways(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    heads = {"dev": ("Key Takeaways", "Key takeaways:"), "held": ("Main points", "The essentials")}
    bullet = rng.choice(("- ", "* ", "• ", ""))
    items = _generic(split, f, rng, 3)
    if f.swapped:
        items.insert(1, f.swapped)
    lines = [header(rng.choice(heads[split]), st)]
    for k, item in enumerate(items, 1):
        lines.append(f"{bullet or f'{k}. '}{item}\n")
    return "".join(lines)


def what_this_means(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    heads = {"dev": ("What this means for you", "What This Means"), "held": ("Why it matters to you",
                                                                             "How this affects you")}
    advice = {"dev": (f"If you follow {f.topic}, it is a good idea to stay up to date with reliable sources. ",
                      "Consider how these changes could affect your own plans and budget. "),
              "held": ("Readers may want to review their options before making any big decisions. ",
                       f"Keep an eye on official announcements about {f.topic2} in the weeks ahead. ")}
    body = "".join(rng.sample(advice[split], 2)) + " ".join(_generic(split, f, rng, 2))
    return header(rng.choice(heads[split]), st) + body + "\n"


def expert_commentary(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    heads = {"dev": ("Expert Commentary", "Expert opinion"), "held": ("What the experts say", "Expert view")}
    full, short, field = _person(split, rng)
    place = rng.choice(PLACES[split])
    intro = {"dev": f"{full}, a {field.lower()} specialist at {place}, said the news was significant.",
             "held": f"According to {full} of {place}, the events mark a turning point for {f.topic}."}
    quote = " ".join(_generic(split, f, rng, 2))
    lines = [header(rng.choice(heads[split]), st), intro[split] + "\n", f"“{quote}” {short} added.\n"]
    if f.swapped and rng.random() < 0.5:
        lines.append(f"{short} also pointed out: {f.swapped}\n")
    return "".join(lines)


def conclusion(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    heads = {"dev": ("Conclusion", "Final Thoughts"), "held": ("In Summary", "The Bottom Line")}
    lead = {"dev": ("In conclusion, ", "Overall, "), "held": ("To sum up, ", "All things considered, ")}
    text = " ".join(_generic(split, f, rng, 3))
    if st.header == "":
        return rng.choice(lead[split]) + text[0].lower() + text[1:] + "\n"
    return header(rng.choice(heads[split]), st) + text + "\n"


def chatbot(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    bits = [_fill(s, f) for s in rng.sample(CHATBOT[split], 2)]
    if rng.random() < 0.5:
        bits.insert(1, " ".join(_generic(split, f, rng, 2)))
    return "\n".join(bits) + "\n"


def tags(split: str, f: Facts, rng: random.Random, st: Style) -> str:
    words = [w for w in re.findall(r"[A-Za-z]{4,}", f.title + " " + f.topic + " " + f.topic2)][:8] or ["news"]
    if split == "dev":
        return " ".join("#" + w for w in words) + "\n"
    return rng.choice(("Tags: ", "Keywords: ")) + ", ".join(w.lower() for w in words) + "\n"


BUILDERS: dict[str, Callable[[str, Facts, random.Random, Style], str]] = {
    "interview": interview, "faq": faq, "takeaways": takeaways, "what_this_means": what_this_means,
    "expert_commentary": expert_commentary, "conclusion": conclusion, "chatbot": chatbot, "tags": tags,
}
SIGN_OFFS = {"dev": ("United Nations / EFE", "(Reuters)", "— AFP"), "held": ("London / PA", "AP", "Berlin / DPA")}


def random_style(rng: random.Random) -> Style:
    return Style(rng.choice(("plain", "md", "bold", "", "plain")), rng.random() < 0.5, rng.choice(("role", "qa",
                                                                                                  "name")))


# --- genuine controls --------------------------------------------------------------------------------------

JOURNALISTS = (("Anna", "Kowalski"), ("Ben", "Adeyemi"), ("Carmen", "Ortiz"), ("David", "Lindgren"))
GUESTS = (("Miriam", "Achterberg", "the city's chief engineer"),
          ("Kofi", "Mensah", "the union's general secretary"),
          ("Lucia", "Ferraro", "director of the regional health agency"),
          ("Hugo", "Brandt", "the company's finance chief"))


def _sentences(body: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", body.replace("\n", " ")) if len(s.split()) >= 6]


def transcript_page(f: Facts, body: str, rng: random.Random, st: Style) -> str:
    """A page that is an interview from its first lines: a journalist and a guest introduced, answers with facts
    (the article's own sentences, spoken by the guest)."""
    (jf, jl), (gf, gl, role) = rng.choice(JOURNALISTS), rng.choice(GUESTS)
    facts = _sentences(body)[:6]
    intro = (f"{jf} {jl} spoke to {gf} {gl}, {role}, about {f.topic}. "
             f"The interview has been edited for length and clarity.\n")
    lines = [f"{f.title}\n", intro]
    qs = ("What happened?", "What do the numbers show?", "What comes next?")
    for k, q in enumerate(qs):
        ans = " ".join(facts[2 * k:2 * k + 2])
        if ans:
            lines += [f"{_label(jl, st)} {q}\n", f"{_label(gl, st)} {ans}\n"]
    return "".join(lines)


def grounded_qa(f: Facts, body: str, rng: random.Random, st: Style) -> str:
    """A story whose body introduces a guest, followed by a Q&A with that guest by a named journalist, whose
    answers restate the story's own sentences."""
    (jf, jl), (gf, gl, role) = rng.choice(JOURNALISTS), rng.choice(GUESTS)
    facts = _sentences(body)
    intro = f"{gf} {gl}, {role}, answered questions from our reporter {jf} {jl} after the announcement."
    paras = body.strip().split("\n")
    story = "\n".join([paras[0], intro, *paras[1:]]) + "\n"  # the guest is introduced in the story itself
    lines = [f"{f.title}\n", story, header(f"Q&A: {jl} asks {gf} {gl} about {f.topic}", st)]
    for k, q in enumerate(("What exactly happened?", "What are the figures?")):
        if k < len(facts):
            lines += [f"{_label(jf + ' ' + jl, st)} {q}\n", f"{_label(gf + ' ' + gl, st)} {facts[k]}\n"]
    return "".join(lines)


def related_list(f: Facts, body: str, rng: random.Random, st: Style) -> str:
    items = (f"{f.topic}: what we know so far", f"Timeline: {f.topic2} in ten dates", f"Opinion: the view on {f.topic}")
    head = rng.choice(("Related:", "Related coverage", "More on this story", "Read more:"))
    return f"{f.title}\n{body.rstrip()}\n{head}\n" + "".join(f"{'- ' if st.bold else ''}{i}\n" for i in items)


def author_bio(f: Facts, body: str, rng: random.Random, st: Style) -> str:
    jf, jl = rng.choice(JOURNALISTS)
    bio = rng.choice((f"{jf} {jl} is a staff reporter covering politics and the economy.",
                      f"{jf} {jl} has reported on {f.topic} since 2015. Follow {jf} on X @{jf.lower()}{jl.lower()}.",
                      f"About the author: {jf} {jl} writes about business and energy."))
    return f"{f.title}\n{body.rstrip()}\n{bio}\n"


CONTROLS: dict[str, Callable[[Facts, str, random.Random, Style], str]] = {
    "transcript_page": transcript_page, "grounded_qa": grounded_qa, "related_list": related_list,
    "author_bio": author_bio,
}
