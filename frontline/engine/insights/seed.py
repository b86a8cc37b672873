"""A small hand-written seed set for the start rules (kind and sentiment), in English.

Written for Frontline by the insights-engine helper (not from a public data set): 10 texts per
kind, each with the sentiment a reader would give it. It measures :func:`kind_rules` and
:func:`sentiment` in the tests (a sanity floor, not a benchmark: the rules were written with
these examples in view), and the Django app may use it to train a first
:class:`~frontline.engine.insights.classify.Classifier` before any correction exists.
"""

from __future__ import annotations

# (text, kind, sentiment)
SEED: tuple[tuple[str, str, str], ...] = (
    ("My order never arrived and nobody answers my emails", "complaint", "negative"),
    ("I was charged twice for the same subscription", "complaint", "negative"),
    ("The app crashes every time I open my invoices", "complaint", "negative"),
    ("Your courier left the parcel in the rain, everything is damaged", "complaint", "negative"),
    ("Still waiting for my refund after three weeks, unacceptable", "complaint", "negative"),
    ("The agent was rude and hung up on me", "complaint", "negative"),
    ("I cannot log in since the update, it says wrong password", "complaint", "negative"),
    ("Delivery was delayed again, this is the third time", "complaint", "negative"),
    ("The product stopped working after two days", "complaint", "negative"),
    ("My card was declined although I have money on the account", "complaint", "negative"),
    ("Thank you so much, Anna solved it in five minutes!", "praise", "positive"),
    ("Great service, very friendly and quick", "praise", "positive"),
    ("Excellent support, my problem was resolved the same day", "praise", "positive"),
    ("I love the new dashboard, it is so easy to use", "praise", "positive"),
    ("Thanks for the fast delivery, everything was perfect", "praise", "positive"),
    ("The team was patient and helpful, much appreciated", "praise", "positive"),
    ("Best customer service I have had in years", "praise", "positive"),
    ("Quick answer and a kind agent, thank you", "praise", "positive"),
    ("Wonderful experience from order to delivery", "praise", "positive"),
    ("Really happy with how smooth the return went", "praise", "positive"),
    ("How do I change the address on my account?", "question", "neutral"),
    ("Can I pay by bank transfer?", "question", "neutral"),
    ("When will my order be shipped?", "question", "neutral"),
    ("Where can I download my invoice?", "question", "neutral"),
    ("Is there a student discount?", "question", "neutral"),
    ("What are your opening hours on Sunday?", "question", "neutral"),
    ("Do you ship to Norway?", "question", "neutral"),
    ("How long does a refund usually take?", "question", "neutral"),
    ("Which plan includes phone support?", "question", "neutral"),
    ("Can I add a second user to my subscription?", "question", "neutral"),
    ("Could you add a dark mode to the app", "suggestion", "neutral"),
    ("It would be nice to track the parcel on a map", "suggestion", "positive"),
    ("Please add PayPal as a payment option", "suggestion", "neutral"),
    ("I would love to see an export to Excel", "suggestion", "positive"),
    ("You should offer weekend delivery", "suggestion", "neutral"),
    ("Feature request: let me pause my subscription", "suggestion", "neutral"),
    ("Would you consider a cheaper plan for small teams", "suggestion", "neutral"),
    ("It would be helpful to get an SMS before the courier comes", "suggestion", "positive"),
    ("Can you make the invoices downloadable as CSV", "suggestion", "neutral"),
    ("My suggestion: show the delivery window in the confirmation email", "suggestion", "neutral"),
)
