"""Hand-written articles for the cross-document tests: one wire story and its copies, look-alike figures."""

from __future__ import annotations

WIRE = [
    "The regional council of Valdoria approved on Tuesday a plan to rebuild the old harbour bridge, "
    "closed since a winter storm cracked two of its pillars last January.",
    "The works will cost 48 million euros and should take three years, council president Marta Quiroga "
    "told reporters after a session that lasted well into the night.",
    "Fishermen and ferry operators have complained for months that the detour through the northern "
    "road adds an hour to every delivery and has driven some small firms out of business.",
    "Opposition members voted against the plan, arguing that the estimate leaves out the cost of "
    "dredging the channel, which engineers put at another 6 million euros.",
    "The first contracts are due to be signed in the spring, and the bridge could reopen to light "
    "traffic before the full repairs are finished, the council said in a statement.",
]


def wire(credit_lead: str = "", credit_trail: str = "", paragraphs: list[str] | None = None) -> str:
    body = list(WIRE if paragraphs is None else paragraphs)
    body[0] = credit_lead + body[0]
    body[-1] = body[-1] + credit_trail
    return "\n\n".join(body)


# The same story under another credit, with small edits (a word changed, the last paragraph dropped).
EDITED = wire("VALDORIA, Spain (AP) — ", paragraphs=[
    WIRE[0],
    WIRE[1].replace("told reporters", "said"),
    WIRE[2],
    WIRE[3].replace("Opposition members", "Opposition councillors"),
])

# A local paper that kept two wire paragraphs and wrote the rest itself: under half its shingles are shared.
REWRITTEN = "\n\n".join([
    "Harbour bridge to be rebuilt, at last. After eleven months of detours, the people of the old port "
    "finally have a date to look forward to, even if few here believe it will be kept.",
    WIRE[1],
    WIRE[2],
    WIRE[3],
    "At the fish market on Wednesday morning, traders greeted the news with shrugs. One stall holder, "
    "who has sold octopus on the quay for thirty years, said he would believe it when he saw the cranes.",
    "The council has promised regular updates on its website and a public meeting in the town hall next month.",
    "Residents who want to follow the works can sign up for text alerts, and the harbour master has said that "
    "the small ferry to the lighthouse will keep running through the summer, weather permitting.",
    "Our reporter will be at the town hall meeting and will publish questions from readers beforehand; send "
    "yours by Friday to the newsroom address printed on page two of this edition.",
])

# Another outlet's own report of the same session: same facts, a short shared quote, not a copy.
INDEPENDENT = "\n\n".join([
    "Valdoria's council has finally backed a reconstruction of the harbour bridge, ending a year of "
    "argument over whether the cracked structure should be repaired or simply torn down.",
    "President Marta Quiroga called the vote a turning point. The price tag, close to 50 million euros, "
    "drew sharp questions from the opposition benches about dredging and delays.",
    "Engineers expect work to begin in spring. Local businesses say the closure has cost them dearly.",
])

# Look-alike figures: troops in Syria (two outlets that disagree) and troops in Afghanistan (two that agree).
SYRIA = ("Pentagon to pull troops from Syria\n\nWASHINGTON — President Harold Vance ordered the withdrawal of all "
         "2,000 American troops from Syria on Wednesday, defense officials said.\n\nDefense Secretary Linda Okafor "
         "said the move was premature. \"We are not done there,\" Okafor told reporters.")
SYRIA_COPY = SYRIA.replace("WASHINGTON — ", "WASHINGTON (AP) — ").replace("on Wednesday", "on Wednesday morning")
BOTH = ("Troop withdrawal ordered\n\nPresident Vance has decided to withdraw about 2,500 troops from Syria, according "
        "to two officials.\n\nSeparately, about 7,000 troops will be withdrawn from Afghanistan in the coming months, "
        "Linda Okafor said.")
AFGHANISTAN = ("A long war winds down\n\nRoughly 7,000 American troops will leave Afghanistan by summer, Secretary "
               "Linda Okafor said on Thursday.")
