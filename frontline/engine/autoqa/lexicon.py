"""The English sentiment lexicon and phrase lists of auto-QA, as data (docs/autoqa.md).

Written for Frontline (not copied from a published lexicon): words and short phrases common in
customer-service conversations, each with a valence from -3 (very negative) to +3 (very
positive), on the scale VADER uses (Hutto & Gilbert 2014) so its combination rules apply.
``PHRASES`` are matched before single words, as whole token sequences, and are not flipped by a
preceding negation (most already contain one: "not working").  Words are lower case; an entry
ending in ``*`` matches any word that starts with it.
"""

from __future__ import annotations

# word valence, -3..+3 -------------------------------------------------------------------------
_WORDS = """
abandoned -2  absurd -2  acceptable 1  abysmal -3  abuse -3  abusive -3  accept 1  accepted 1  accurate 1
aggravat* -2  angry -2.5  angri* -2.5  annoy* -2  anxious -1.5  apolog* 0  appall* -3
appreciate 2  appreciated 2  appreciation 2  awesome 3  awful -3  bad -2.5  badly -2.5
best 3  better 1.5  bizarre -1  bless 2  blocked -1.5  bogus -2  bother -1.5  bothered -1.5
brilliant 3  broke -2  broken -2  bug -1.5  buggy -2  calm 1  cancel -0.5  careless -2
charged 0  cheat* -3  clear 1  comfortable 1.5  complain* -2  complaint -2  complicated -1
confus* -1.5  convenient 1.5  cool 1.5  corrupt* -2  courteous 2  crap -3  crash* -2
cumbersome -1.5  damage* -2  dead -2  declined -1.5  defect* -2  delay* -1.5  delight* 3
despite -0.5  destroyed -2.5  difficult -1.5  disappoint* -2.5  disaster* -3  disgust* -3
dishonest -3  dislike -2  dissatisf* -2.5  disgrace* -3  doubt -1  dreadful -3  easy 1.5
effective 2  efficient 2  embarrass* -2  enjoy* 2  error -1.5  errors -1.5  excellent 3
exceptional 3  excit* 2  fail* -2  fair 1  fantastic 3  fault -1.5  faulty -2  fine 1
fix 1  fixed 1.5  flawless 3  fraud -3  fraudulent -3  friendly 2  frustrat* -2.5  furious -3
glad 2  good 2  grateful 2.5  great 3  greatly 2  happy 2.5  hate -3  hated -3  helpful 2.5
helpless -2  hopeless -2.5  horrible -3  horrid -3  hurt -2  ignored -2  ignoring -2
impatient -1.5  impossible -2  impressed 2.5  impressive 2.5  improper -1.5  inadequate -2
incompetent -3  inconvenien* -1.5  incorrect -1.5  insult* -2.5  invalid -1  irritat* -2
joke -1.5  kind 2  kindly 1  lame -2  late -1.5  laughable -2  liar -3  lie -2  lied -2.5
lies -2.5  lost -1.5  love 3  loved 3  lovely 3  lucky 1.5  mess -2  messed -2  misleading -2.5
mistake -1.5  mistaken -1.5  missing -1.5  nice 2  nightmare -3  nonsense -2  ok 0.5  okay 0.5
outrage* -3  overcharg* -2.5  pain -2  painful -2.5  pathetic -3  patient 1.5  perfect 3
perfectly 2.5  pissed -3  pleasant 2.5  please 0  pleased 2.5  pleasure 2.5  polite 2
poor -2  poorly -2  problem -1.5  problems -1.5  professional 2  prompt 1.5  promptly 1.5
quick 1.5  quickly 1.5  reasonable 1  recommend 2  refuse* -1.5  regret -2  reliable 2
relieved 2  resolved 2  respect 1.5  ridiculous -2.5  rip -1  robbed -3  rude -3  sad -2
satisf* 2  scam -3  scammed -3  screwed -2.5  shame -2  shameful -3  shocked -2  shocking -2.5
simple 1  slow -1.5  smooth 2  solved 2  sorry -0.5  spam -1.5  stuck -1.5  stupid -2.5
success* 2  super 2  superb 3  support 0.5  surprised 0.5  terrible -3  terrific 3  thank 2
thanks 2  thankful 2.5  thrilled 3  trouble -1.5  trust 1.5  ugly -2  unable -1.5
unacceptable -3  unclear -1.5  unfair -2  unfortunately -1  unhappy -2.5  unhelpful -2.5
unprofessional -2.5  unreliable -2  unresolved -2  unusable -2.5  upset -2  useful 2
useless -2.5  valuable 2  waste -2  wasted -2  weird -1  welcome 1.5  well 1  wonderful 3
worried -1.5  worry -1.5  worse -2.5  worst -3  worthless -3  wow 2  wrong -2  yay 2
"""

# phrases: whole token sequences, matched before words, never flipped by negation -------------
_PHRASES = """
not working = -2
doesn't work = -2
does not work = -2
didn't work = -2
did not work = -2
stopped working = -2
not work = -2
never arrived = -2
hasn't arrived = -1.5
has not arrived = -1.5
not arrived = -1.5
never received = -2
not received = -1.5
haven't received = -1.5
have not received = -1.5
still waiting = -1.5
still not = -1
no response = -2
no reply = -2
no answer = -2
nobody answers = -2
no one answers = -2
no one = -1
hung up = -2
charged twice = -2
double charged = -2
waste of time = -2.5
thank you = 2
thanks a lot = 2.5
thank you so much = 3
much appreciated = 2.5
not bad = 1
not too bad = 1
no problem = 1
no problems = 1
no worries = 1
no issue = 1
no issues = 1
all good = 2
works now = 2
working now = 2
works perfectly = 3
let down = -2
fed up = -2.5
"""

NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "cant",
        "can't",
        "isn't",
        "isnt",
        "aren't",
        "arent",
        "wasn't",
        "wasnt",
        "weren't",
        "werent",
        "don't",
        "dont",
        "doesn't",
        "doesnt",
        "didn't",
        "didnt",
        "won't",
        "wont",
        "wouldn't",
        "wouldnt",
        "shouldn't",
        "shouldnt",
        "couldn't",
        "couldnt",
        "haven't",
        "havent",
        "hasn't",
        "hasnt",
        "hadn't",
        "hadnt",
        "ain't",
        "aint",
        "hardly",
        "barely",
        "rarely",
    ]
)

# intensifiers: + strengthens, - weakens the next sentiment word (VADER's +-0.293)
BOOSTERS = frozenset(
    [
        "very",
        "really",
        "so",
        "extremely",
        "incredibly",
        "totally",
        "absolutely",
        "completely",
        "utterly",
        "super",
        "highly",
        "truly",
        "seriously",
        "terribly",
        "awfully",
        "especially",
        "exceptionally",
        "particularly",
        "remarkably",
        "most",
        "much",
        "too",
    ]
)
DAMPENERS = frozenset(
    [
        "slightly",
        "somewhat",
        "marginally",
        "barely",
        "hardly",
        "little",
        "partly",
        "kinda",
        "sorta",
        "fairly",
        "occasionally",
    ]
)


def _parse_words(text: str) -> tuple[dict[str, float], tuple[tuple[str, float], ...]]:
    tokens = text.split()
    exact: dict[str, float] = {}
    prefixes: list[tuple[str, float]] = []
    for word, value in zip(tokens[::2], tokens[1::2], strict=True):
        if word.endswith("*"):
            prefixes.append((word[:-1], float(value)))
        else:
            exact[word] = float(value)
    return exact, tuple(sorted(prefixes, key=lambda p: -len(p[0])))


def _parse_phrases(text: str) -> dict[tuple[str, ...], float]:
    phrases: dict[tuple[str, ...], float] = {}
    for line in text.strip().splitlines():
        words, value = line.split("=")
        phrases[tuple(words.split())] = float(value)
    return phrases


WORDS, PREFIXES = _parse_words(_WORDS)
PHRASES = _parse_phrases(_PHRASES)
LONGEST_PHRASE = max(len(p) for p in PHRASES)

# Auto-QA phrase lists (regular expressions, case-insensitive) --------------------------------

GREETINGS = (
    r"hi",
    r"hello",
    r"hey",
    r"hiya",
    r"greetings",
    r"dear",
    r"good (?:morning|afternoon|evening|day)",
    r"welcome",
    r"thanks? (?:you )?(?:so much |very much )?for (?:reaching out|contacting|getting in touch|"
    r"writing|your (?:message|email|patience|question|request)|calling|chatting|waiting)",
    r"thank you",
    r"thanks",
)
CLOSINGS = (
    r"anything else",
    r"(?:is there )?anything more",
    r"let (?:me|us) know",
    r"have a (?:great|nice|good|lovely|wonderful) (?:day|evening|weekend|week|one|afternoon)",
    r"(?:best|kind|warm) regards",
    r"regards",
    r"all the best",
    r"best wishes",
    r"take care",
    r"cheers",
    r"sincerely",
    r"thanks again",
    r"thank you again",
    r"(?:feel free|do not hesitate|don't hesitate) to (?:reach out|contact|get in touch|write|ask)",
    r"happy to help",
    r"glad (?:i|we) could help",
    r"enjoy your",
    # a sign-off on its own line: "Thanks,\nAnna", "Many thanks!", "Best,\nAnna"
    r"(?:many )?(?:thanks|thank you|best)(?=[!,.]?[ \t]*(?:\n|$))",
)
EMPATHY = (
    r"sorry",
    r"apologi[sz]e",
    r"apologies",
    r"my apology",
    r"i (?:completely |totally |fully )?understand",
    r"i can (?:imagine|see|understand)",
    r"that must (?:be|have been)",
    r"(?:how|very|really|so) frustrating",
    r"i hear you",
    r"i know how",
    r"regret (?:the|any|that)",
    r"thank you for your patience",
    r"thanks for your patience",
    r"unfortunate",
)
