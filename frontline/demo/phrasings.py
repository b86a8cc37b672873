"""Phrasings the demo's conversations share across topics (greetings, sign-offs, reminders, notes)
and the nouns its templates fill in. Re-exported by :mod:`frontline.demo.content`."""

from __future__ import annotations

__all__ = [
    "ACKS",
    "APPS",
    "BROWSERS",
    "CARRIERS",
    "CUSTOMER_SIGNOFFS",
    "DUPLICATE_OPENERS",
    "EXPORTS",
    "FEATURES",
    "FOLLOW_UP_ASKS",
    "FOLLOW_UP_DETAILS",
    "GREETINGS",
    "HOLD_NOTES",
    "NO_RESPONSE",
    "PLANS",
    "PRODUCTS",
    "REMINDERS",
    "REOPEN_REPLIES",
    "RESUME_NOTES",
    "SIGNOFFS",
    "TRIAGE_NOTES",
]

GREETINGS = ("Hi {first},", "Hello {first},", "Dear {first},", "Hi {first}, thanks for getting in touch.",
             "Hello {first}, thank you for contacting us.", "Hi {first}, thanks for reaching out.")
SIGNOFFS = ("Best regards,\n{agent}", "Kind regards,\n{agent}\nCustomer Support", "Thanks,\n{agent}",
            "All the best,\n{agent}", "Warm regards,\n{agent} | Support team", "Cheers,\n{agent}")
CUSTOMER_SIGNOFFS = ("Thanks,\n{first}", "Regards,\n{name}", "Thank you!\n{first}", "{first}", "Best,\n{name}",
                     "Many thanks,\n{name}", "")
ACKS = (
    "Thanks for the details. I'm looking into this now and will update you shortly.",
    "I've picked this up and I'm checking with the team; you'll hear from me as soon as I know more.",
    "Sorry for the trouble. I've started investigating and will come back to you today.",
)
FOLLOW_UP_ASKS = (  # a second question, after the topic's own
    "Thanks, that helps. One more thing: could you send a screenshot of what you see?",
    "Thank you. Could you also confirm the email address on your account, so I can match it in our logs?",
    "Got it. Could you try once more and tell me roughly what time it was? Then I can find it on our side.",
    "Thanks for the details. Before I go ahead, can you confirm that's the only order affected?",
)
FOLLOW_UP_DETAILS = (
    "Screenshot attached.", "Sure, it's the address I'm writing from.", "Just tried again at {time}, same thing.",
    "Yes, only that one.", "Here you go, let me know if you need anything else.",
)
DUPLICATE_OPENERS = (
    "I wrote to you about this already but haven't heard back.",
    "Sending this again in case my first message got lost.",
    "Following up on my earlier message, this is getting urgent.",
)
REMINDERS = (
    "Just checking in: could you send over the details I asked for so we can carry on?",
    "A quick reminder that we're waiting on a few details from you before we can go ahead.",
    "We haven't heard back yet. Whenever you have a moment, reply to this message and we'll pick it up.",
)
NO_RESPONSE = (
    "As we haven't heard back, I'll mark this ticket as solved for now. Simply reply if you still need help and it will reopen.",
    "I'm closing this one off since we haven't had a reply. If the problem comes back, just answer this email.",
    "Since there has been no reply, I'm setting this to solved. We're happy to help further whenever you're ready.",
)
REOPEN_REPLIES = (
    "Sorry this is still happening. I've had another look and escalated it, and I'll be in touch shortly.",
    "Thanks for letting us know, and apologies that the first fix didn't hold. I'm looking into it again now.",
    "Apologies for that. I've reopened this and I'm checking what went wrong.",
)
HOLD_NOTES = {  # by queue: why a ticket waits
    "Orders": ("Waiting on the carrier's investigation; they quote 2-3 working days.",
               "Asked the warehouse team to check stock and packing records.",
               "Opened a trace with {carrier}, reference TR-{ref}. On hold until they answer."),
    "Billing": ("Raised with the payments provider, reference PSP-{ref}. On hold until they reply.",
                "Finance is reviewing the refund before it can be released."),
    "Technical": ("Engineering confirmed a bug (ENG-{ref}); holding until the fix ships.",
                  "Escalated to tier 2 for a closer look at the logs."),
    "Accounts": ("Waiting for the security team to review the account.",),
}
RESUME_NOTES = {
    "Orders": ("{carrier} came back with an answer; replying to the customer now.",
               "Warehouse confirmed what happened, picking this back up."),
    "Billing": ("The payment provider replied; picking this back up.", "Finance approved, replying to the customer."),
    "Technical": ("Fix is live in production, confirming with the customer.", "Tier 2 found the cause; replying now."),
    "Accounts": ("Security review done, picking this back up.",),
}
TRIAGE_NOTES = (
    "Customer is on a {tier} plan, prioritising.",
    "Second contact about this in a week, handle with care.",
    "Checked the order history: no earlier issues on this account.",
    "Possible duplicate of an earlier conversation, linked in the notes.",
    "Could be related to the incident yesterday afternoon.",
)

PRODUCTS = (
    "Trailhead 40L backpack", "Summit down jacket", "Alpine trekking poles", "Ridge 2-person tent",
    "Cascade water filter", "Ember camping stove", "Storm rain shell", "Glacier sleeping bag",
    "Peak headlamp", "Canyon hiking boots", "Drift kayak paddle", "Boulder chalk bag", "Trail running vest",
    "Merino base layer set", "Compass GPS watch", "Basecamp camping chair",
)
CARRIERS = ("DHL", "UPS", "DPD", "FedEx", "Royal Mail", "GLS", "USPS")
APPS = ("iOS app", "Android app", "web app", "desktop app")
PLANS = ("Explorer plan", "Pro plan", "Team plan", "Family plan")
FEATURES = ("dark mode", "offline maps", "exporting routes to GPX", "shared packing lists", "a calendar view",
            "two-factor login with a hardware key", "bulk editing of trips", "Apple Watch support")
BROWSERS = ("Chrome", "Firefox", "Safari", "Edge")
EXPORTS = ("CSV export", "PDF report", "GPX export", "trip summary export")
