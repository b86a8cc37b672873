"""The words of the demo: topics with their subjects and conversations, and shared phrasings.

The business behind the demo sells outdoor gear online and runs a companion app with paid
plans, so tickets range from parcels and invoices to app crashes and two-factor codes.
Templates use ``{placeholders}`` filled by ``frontline.demo.scripts``; every list is
sampled with the generator's seeded ``random.Random``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .phrasings import *  # noqa: F403  (re-exported: the words of the demo stay in one namespace)


@dataclass(frozen=True)
class Topic:
    key: str
    queue: str
    weight: float  # share of its queue's volume
    ticket_type: str
    priorities: tuple[float, float, float, float]  # low, normal, high, urgent
    tags: tuple[str, ...]
    subjects: tuple[str, ...]
    openings: tuple[str, ...]  # the customer's first message
    asks: tuple[str, ...]  # the agent needs something (ticket goes pending)
    details: tuple[str, ...]  # the customer answers
    solutions: tuple[str, ...]  # the agent resolves
    reopens: tuple[str, ...]  # the customer says it is not sorted
    notes: tuple[str, ...]  # internal notes
    first_solve: float = 0.3  # chance the first reply already solves it
    can_hold: bool = False  # may wait on a vendor or another department
    product_area: str = ""
    order_number: bool = False


TOPICS: tuple[Topic, ...] = (
    # --- Orders -------------------------------------------------------------------------------
    Topic(
        key="where_is_order", queue="Orders", weight=0.34, ticket_type="question", priorities=(0.1, 0.7, 0.17, 0.03),
        tags=("shipping", "wismo"), order_number=True, first_solve=0.45, can_hold=True, product_area="Delivery",
        subjects=("Where is my order {order}?", "Order {order} hasn't arrived", "Still waiting for my delivery",
                  "Tracking not updating for {order}", "When will my {product} arrive?", "Delivery status of order {order}",
                  "Parcel stuck in transit"),
        openings=(
            "I ordered a {product} on {date} (order {order}) and it still hasn't arrived. The tracking page hasn't changed for {days} days. Can you tell me where it is?",
            "My order {order} was supposed to arrive by {date} but there's no sign of it. The {carrier} tracking just says 'in transit'.",
            "Could you check on order {order}? I need the {product} for a trip this weekend and I'm getting worried.",
            "The tracking link for {order} shows an error. Has the parcel actually been sent?",
        ),
        asks=(
            "I can see the parcel left our warehouse. Could you confirm the delivery address and whether a neighbour might have taken it in?",
            "To chase this with {carrier} I need to confirm a couple of things: is the address on the order correct, and is there a safe place we can mention?",
        ),
        details=(
            "The address is correct. Nobody in the building has it and there was no card through the door.",
            "Yes, the address is right. You can leave it with reception if needed.",
            "I checked with my neighbours, nothing. The address on the order is right.",
        ),
        solutions=(
            "Good news: {carrier} confirmed the parcel was delayed at their depot and it's out for delivery today. You can follow it here with tracking number {tracking}.",
            "The parcel was lost in transit, so I've sent a replacement by express delivery at no cost. The new tracking number is {tracking}.",
            "Your order is on its way: {carrier} scanned it this morning and expects to deliver it within 1-2 working days (tracking {tracking}).",
            "I've issued a full refund of {amount} for order {order} since the parcel can't be found. It will show on your statement within 3-5 working days.",
        ),
        reopens=("It still hasn't arrived and the tracking hasn't moved since your last message.",
                 "The new tracking number doesn't work either. What's going on?"),
        notes=("Opened a trace with {carrier}, reference TR-{ref}.", "Warehouse confirms dispatch on {date}.",
               "Third 'where is my order' from this postcode this week, flagged to logistics."),
    ),
    Topic(
        key="wrong_item", queue="Orders", weight=0.15, ticket_type="incident", priorities=(0.05, 0.65, 0.25, 0.05),
        tags=("wrong-item", "returns"), order_number=True, first_solve=0.35, product_area="Warehouse",
        subjects=("Wrong item received", "Received the wrong size in order {order}", "This is not what I ordered",
                  "Order {order}: wrong colour sent", "Got someone else's order?"),
        openings=(
            "I ordered a {product} but the box contained something completely different. Order number {order}.",
            "The {product} I received is the wrong size. I ordered a medium and got an extra large.",
            "My order {order} arrived today but it's the wrong colour. I need the correct one before {date}.",
        ),
        asks=(
            "Sorry about the mix-up. Could you send a photo of the item and the label on the box so the warehouse can trace it?",
            "I'm sorry about that. Would you like a replacement or a refund? And could you attach a photo of what arrived?",
        ),
        details=("Photo attached. I'd like the correct item please, not a refund.",
                 "Here are the photos of the item and the label. A replacement would be great.",
                 "I'd rather have a refund at this point, thanks."),
        solutions=(
            "I've arranged a replacement {product} by express delivery and emailed you a prepaid return label for the wrong item. No need to rush sending it back.",
            "Your refund of {amount} has been processed. A courier will collect the wrong item on {date}; just leave it in the original packaging.",
            "The correct item is on its way (tracking {tracking}). Please keep the wrong one, it isn't worth the return shipping.",
        ),
        reopens=("The replacement is wrong as well. Same problem again.", "The courier never came to collect the item."),
        notes=("Picking error at bay 14, reported to the warehouse lead.", "Stock for this SKU looks mislabelled, checking."),
    ),
    Topic(
        key="damaged_item", queue="Orders", weight=0.14, ticket_type="incident", priorities=(0.03, 0.6, 0.3, 0.07),
        tags=("damaged", "returns"), order_number=True, first_solve=0.4, can_hold=True, product_area="Warehouse",
        subjects=("Item arrived damaged", "Broken {product}", "Damaged parcel, order {order}", "{product} arrived torn",
                  "Product damaged in delivery"),
        openings=(
            "The {product} from order {order} arrived broken. The box was crushed on one side.",
            "I just unpacked my {product} and there's a tear in the fabric. This can't be normal for a new product.",
            "My parcel was soaking wet and the {product} inside is damaged.",
        ),
        asks=("I'm sorry to hear that. Could you send a couple of photos of the damage and of the packaging?",
              "Could you attach photos of the damage? Then I can arrange a replacement straight away."),
        details=("Photos attached.", "Here you go, three photos of the damage and the box.",
                 "I threw the box away already, but here is the product."),
        solutions=(
            "Thank you. I've sent a replacement {product} (tracking {tracking}) and you don't need to return the damaged one.",
            "I've refunded {amount} to your original payment method and reported the damage to {carrier}.",
            "A replacement is on its way and I've added a {voucher} voucher to your account for the trouble.",
        ),
        reopens=("The replacement arrived damaged too. Is it the packaging?",),
        notes=("Filed a damage claim with {carrier}, claim {ref}.", "Second damaged delivery on this route this month."),
    ),
    Topic(
        key="change_address", queue="Orders", weight=0.12, ticket_type="task", priorities=(0.1, 0.55, 0.3, 0.05),
        tags=("address-change",), order_number=True, first_solve=0.6, product_area="Delivery",
        subjects=("Change delivery address for {order}", "Wrong address on my order", "Can I update the shipping address?",
                  "Deliver to my work address instead"),
        openings=(
            "I made a typo in the delivery address for order {order}. It should be flat 4, not flat 14. Can you change it?",
            "I'm going to be away next week. Could order {order} go to my office address instead?",
            "I've just moved house and realised order {order} is going to my old address.",
        ),
        asks=("Could you send the full new address including the postcode? I'll update it with the courier.",),
        details=("The new address is 27 Harbour Street, second floor. Postcode is in my account.",
                 "Full address: 9 Mill Lane, same town, same postcode as before."),
        solutions=("Done: the courier has the new address and the delivery date stays the same.",
                   "The parcel had already left, so I've asked {carrier} to redirect it. It may arrive a day later than planned.",
                   "I've updated the address on order {order}; it hasn't been packed yet so nothing else changes."),
        reopens=("The tracking still shows the old address.",),
        notes=("Redirect requested in the {carrier} portal.",),
    ),
    Topic(
        key="return_request", queue="Orders", weight=0.25, ticket_type="question", priorities=(0.2, 0.7, 0.09, 0.01),
        tags=("returns",), order_number=True, first_solve=0.55, product_area="Returns",
        subjects=("Return request for order {order}", "How do I return the {product}?", "Return label not working",
                  "I want to send back my {product}", "Exchange for a different size"),
        openings=(
            "I'd like to return the {product} from order {order}. It doesn't fit. How do I do that?",
            "The return label I printed is rejected at the drop-off point. Can you send a new one?",
            "Can I exchange the {product} for a smaller size instead of returning it?",
        ),
        asks=("Of course. Is the item unused and in its original packaging? And would you prefer a refund or an exchange?",),
        details=("Yes, it's unused with the tags on. An exchange for a medium would be great.",
                 "Unused, still in the box. Refund please."),
        solutions=("I've emailed you a new prepaid return label. Once the item reaches us your refund of {amount} will be processed within 5 days.",
                   "The exchange is booked: drop the parcel at any {carrier} point and we'll send the new size as soon as it's scanned.",
                   "Your return is registered. Here's the label; pack the item in any box and drop it at {carrier}."),
        reopens=("It's been two weeks since I sent it back and no refund yet.",),
        notes=("Return within 30 days, eligible.", "Outside the return window by 3 days; approved as goodwill."),
    ),
    # --- Billing -----------------------------------------------------------------------------
    Topic(
        key="double_charge", queue="Billing", weight=0.24, ticket_type="incident", priorities=(0.02, 0.48, 0.4, 0.1),
        tags=("payments", "double-charge"), first_solve=0.35, can_hold=True, product_area="Payments",
        subjects=("Charged twice for order {order}", "Double charge on my card", "Two payments taken for one order",
                  "Duplicate payment of {amount}", "Why was I billed twice?"),
        openings=(
            "My card ending {last4} was charged {amount} twice for the same order ({order}). Please refund one of them.",
            "I see two identical charges of {amount} on my statement from yesterday. I only placed one order.",
            "You've taken my subscription payment twice this month. I need this sorted quickly, money is tight.",
        ),
        asks=("I'm sorry about that. Could you send a screenshot of the statement showing both charges (hide the card number except the last 4 digits)?",
              "Could you tell me the dates of both charges? One of them may be a pre-authorisation that drops off by itself."),
        details=("Screenshot attached. Both charges are dated {date}.", "Both charges are from {date}, same amount, both marked as completed."),
        solutions=("You're right, the payment was taken twice. I've refunded {amount} to the card ending {last4}; it takes 3-5 working days to appear.",
                   "The second charge is a pre-authorisation that your bank will release within 7 days, so no money has actually left your account twice.",
                   "I've refunded the duplicate payment of {amount} and added a note to your account. Sorry for the inconvenience."),
        reopens=("The refund still isn't on my statement after a week.", "Now I've been charged a third time!"),
        notes=("Duplicate capture confirmed in the PSP dashboard.", "Known issue with retries on timeouts, ENG-{ref}."),
    ),
    Topic(
        key="invoice_copy", queue="Billing", weight=0.26, ticket_type="question", priorities=(0.3, 0.65, 0.05, 0.0),
        tags=("invoice",), first_solve=0.7, product_area="Invoicing",
        subjects=("Invoice copy for {invoice}", "Need a VAT invoice", "Please send invoice for order {order}",
                  "Company name on invoice is wrong", "Invoices for the last quarter"),
        openings=(
            "Could you send me a copy of invoice {invoice}? Our accounts department needs it.",
            "I need a VAT invoice with our company name and address for order {order}.",
            "The invoice shows my personal name but it should be our company. Can you reissue it?",
            "Please send all invoices from the last three months for our account, our auditor needs them.",
        ),
        asks=("Happy to help. Which company name, address and VAT number should appear on the invoice?",),
        details=("It's {company}, and the VAT number is in the attached document.", "Company: {company}. Address as on the account."),
        solutions=("I've attached invoice {invoice}. You can also download invoices any time under Account > Billing.",
                   "Here is the reissued invoice with your company details. The previous one has been voided.",
                   "I've attached the invoices you asked for as one PDF."),
        reopens=("The invoice still shows the old address.",),
        notes=("Reissued with the corrected VAT number.",),
    ),
    Topic(
        key="refund_status", queue="Billing", weight=0.3, ticket_type="question", priorities=(0.1, 0.65, 0.22, 0.03),
        tags=("refund",), first_solve=0.5, can_hold=True, product_area="Payments",
        subjects=("Where is my refund?", "Refund not received for {order}", "Refund of {amount} still pending",
                  "Refund status", "You promised a refund two weeks ago"),
        openings=(
            "I returned the {product} on {date} and still haven't got my refund of {amount}.",
            "Your colleague told me the refund for order {order} was processed but nothing has arrived.",
            "It has been {days} days since you received my return. Where's my money?",
        ),
        asks=("Could you confirm the payment method you used for the order? I'll trace the refund with our payment provider.",),
        details=("I paid with PayPal.", "It was my credit card ending {last4}.", "Apple Pay, the card ending {last4}."),
        solutions=("The refund of {amount} was sent on {date} with reference RF-{ref}. Banks can take up to 5 working days to show it.",
                   "I found the problem: the return was received but the refund hadn't been triggered. I've processed {amount} now.",
                   "Your refund has been approved and sent; you should receive a confirmation email shortly."),
        reopens=("Still nothing on my statement.", "I've only received part of the refund."),
        notes=("Refund stuck in manual review, released.", "Bank reference provided by the PSP: {ref}."),
    ),
    Topic(
        key="payment_failed", queue="Billing", weight=0.2, ticket_type="incident", priorities=(0.05, 0.55, 0.3, 0.1),
        tags=("payments",), first_solve=0.4, product_area="Payments",
        subjects=("Payment keeps failing", "Can't renew my {plan}", "Card declined at checkout",
                  "Error when paying for order", "Subscription payment failed"),
        openings=(
            "Every time I try to pay at checkout I get 'payment declined', but my bank says the card is fine.",
            "My {plan} renewal failed and now the app says my account will be downgraded.",
            "I tried three different cards and checkout still fails with an error.",
        ),
        asks=("Could you tell me the exact error message and the time you tried? That helps me find the attempt in our logs.",),
        details=("The message was 'Payment could not be authorised'. I tried around {time}.",
                 "It just says 'Something went wrong'. Tried on {browser} and on my phone."),
        solutions=("The bank's fraud check blocked the payment. I've whitelisted the transaction; please try again now.",
                   "I've extended your {plan} by 7 days and sent a secure payment link so you can renew without losing anything.",
                   "There was a temporary problem with our payment provider this morning. It has been fixed; your payment will go through now."),
        reopens=("It failed again just now with the same error.",),
        notes=("3DS challenge failing for this issuer, known with the PSP.",),
    ),
    # --- Technical ---------------------------------------------------------------------------
    Topic(
        key="app_crash", queue="Technical", weight=0.3, ticket_type="problem", priorities=(0.03, 0.5, 0.35, 0.12),
        tags=("bug", "mobile"), first_solve=0.2, can_hold=True, product_area="Mobile app",
        subjects=("App crashes on startup", "{app} keeps crashing", "Crash when opening a trip",
                  "App closes itself after the update", "{app} version {version} crashes"),
        openings=(
            "Since updating to version {version}, the {app} crashes as soon as I open it. I've restarted my phone twice.",
            "The app crashes every time I open a saved trip. It worked fine last week.",
            "After the latest update the {app} freezes and closes. I rely on it for my hikes.",
        ),
        asks=("Sorry about this. Which phone model and operating system version are you on? And does it happen with every trip or only some?",
              "Could you try signing out and back in, and if it still crashes, send me your device model and app version?"),
        details=("I'm on a Pixel 7 with Android 15, and it's every trip.", "iPhone 13, iOS 18.1. Signing out didn't help.",
                 "Samsung Galaxy S23, latest Android. Only trips with photos crash."),
        solutions=("Our engineers found the cause and released version {version_fix} today. Please update and it should work again.",
                   "This was caused by a corrupted offline map. Deleting offline maps under Settings > Storage and downloading them again fixes it.",
                   "A fix is now live. Thanks for the details, they helped us reproduce it."),
        reopens=("Updated, but it still crashes on the same screen.",),
        notes=("Reproduced on Android 15, crash log attached to ENG-{ref}.", "Matches the crash spike on the stability dashboard."),
    ),
    Topic(
        key="export_fails", queue="Technical", weight=0.2, ticket_type="incident", priorities=(0.05, 0.6, 0.3, 0.05),
        tags=("bug", "export"), first_solve=0.3, can_hold=True, product_area="Web app",
        subjects=("{export} fails", "Export button does nothing", "Error 500 when exporting",
                  "Can't download my {export}", "Export file is empty"),
        openings=(
            "When I click '{export}' in the web app nothing happens. I've tried in {browser} and another browser.",
            "The {export} downloads but the file is empty. I need it for a report by {date}.",
            "Exporting fails with 'Error 500' for any date range longer than a month.",
        ),
        asks=("Could you tell me which date range and filters you used? I'll try the same export on our side.",),
        details=("Date range is the whole of last year, no filters.", "Just the last 3 months, filtered on my team."),
        solutions=("Large exports were timing out. We've raised the limit and your export now works; I've also emailed you the file.",
                   "It was a bug with special characters in trip names. It's fixed now, please try again.",
                   "As a workaround until the fix is out, exporting one quarter at a time works. The fix is scheduled for next week."),
        reopens=("It's failing again since this morning.",),
        notes=("Export job timing out after 30 s, logs in ENG-{ref}.",),
    ),
    Topic(
        key="sync_slow", queue="Technical", weight=0.2, ticket_type="problem", priorities=(0.1, 0.65, 0.22, 0.03),
        tags=("bug", "sync"), first_solve=0.3, can_hold=True, product_area="Sync",
        subjects=("Trips not syncing between devices", "App is very slow", "Changes lost after sync",
                  "Sync stuck at 'pending'", "Web app takes ages to load"),
        openings=(
            "Trips I create on my phone don't show up in the web app anymore.",
            "The app has become really slow, it takes 20 seconds to open a trip.",
            "I edited my packing list on the tablet and the changes disappeared after syncing.",
        ),
        asks=("Could you check that both devices run the latest version and tell me roughly when the last successful sync was?",),
        details=("Both are up to date. The last sync that worked was on {date}.", "Latest versions everywhere. It stopped syncing after I changed my password."),
        solutions=("I forced a full resync of your account from our side; everything should line up within a few minutes.",
                   "We had degraded performance on one database cluster, which is resolved now. Thanks for your patience.",
                   "Signing out on all devices and back in refreshes the sync token; that fixed it for other customers with the same issue."),
        reopens=("Still not syncing, I just checked again.",),
        notes=("Account had a stale sync token.", "Linked to the incident report from Tuesday."),
    ),
    Topic(
        key="api_error", queue="Technical", weight=0.14, ticket_type="incident", priorities=(0.02, 0.45, 0.38, 0.15),
        tags=("api", "integrations"), first_solve=0.25, can_hold=True, product_area="API",
        subjects=("API returns 401 since this morning", "Webhook deliveries failing", "Rate limit errors on the orders API",
                  "Integration stopped working", "API error 500 on /orders"),
        openings=(
            "Our integration started getting 401 errors from your API this morning. Nothing changed on our side.",
            "We haven't received any webhooks since {date}. Our endpoint is up and returns 200.",
            "We hit the rate limit constantly even though we only make a few calls per minute.",
        ),
        asks=("Could you send a request ID from one of the failing calls (the X-Request-Id header) and the time it happened?",),
        details=("Request ID req_{ref}, at around {time} UTC.", "Here are three request IDs from this morning: req_{ref} and two more in the attached log."),
        solutions=("Your API token was rotated during the security update; I've issued a new one in the admin panel.",
                   "Webhook deliveries were paused after repeated timeouts. I've re-enabled them and replayed the missed events.",
                   "Your account was on the old rate-limit tier. I've moved it to the current one with 600 requests per minute."),
        reopens=("We're seeing the same errors again.",),
        notes=("Token revoked by automatic rotation, see ENG-{ref}.",),
    ),
    Topic(
        key="feature_request", queue="Technical", weight=0.16, ticket_type="question", priorities=(0.55, 0.43, 0.02, 0.0),
        tags=("feature-request",), first_solve=0.8, product_area="Product",
        subjects=("Feature request: {feature}", "Please add {feature}", "Any plans for {feature}?", "Suggestion for the app"),
        openings=(
            "I love the app, but it really needs {feature}. Is that planned?",
            "Would it be possible to add {feature}? Our whole club would use it.",
            "Small suggestion: {feature} would make the app so much better for me.",
        ),
        asks=("Thanks for the idea! Could you tell me a bit more about how you'd use it?",),
        details=("Mostly for longer trips where I'm offline for days.", "Our club plans group trips and we'd share it with everyone."),
        solutions=("Thanks for the suggestion. I've passed it to our product team and added your vote; {feature} is on the roadmap for next year.",
                   "I've logged your request with the product team. We can't promise a date, but every vote counts.",
                   "Good news: {feature} is in beta. I've added your account to the beta group."),
        reopens=("Any update on this?",),
        notes=("Added to the product board, 14 votes now.",),
    ),
    # --- Accounts ----------------------------------------------------------------------------
    Topic(
        key="password_reset", queue="Accounts", weight=0.28, ticket_type="question", priorities=(0.1, 0.65, 0.22, 0.03),
        tags=("login", "password"), first_solve=0.65, product_area="Login",
        subjects=("Password reset email not arriving", "Can't log in", "Forgot my password", "Reset link expired",
                  "Login not working"),
        openings=(
            "I requested a password reset three times but the email never arrives. I've checked spam.",
            "I can't log in, it keeps saying my password is wrong even after resetting it.",
            "The reset link says it has expired even though I clicked it straight away.",
        ),
        asks=("Could you confirm the email address on your account? Sometimes accounts are registered under an older address.",),
        details=("It should be this address, the one I'm writing from.", "Maybe my old work address? I'm not sure."),
        solutions=("I've sent a fresh reset link that's valid for 24 hours. Our emails had been blocked by your provider; I've whitelisted it.",
                   "Your account was under a different address. I've updated it and sent the reset link to this one.",
                   "Reset links were expiring early because of a bug, which is fixed now. Please try again."),
        reopens=("The new link doesn't work either.",),
        notes=("Provider bouncing our mails, reported to the email team.",),
    ),
    Topic(
        key="two_factor", queue="Accounts", weight=0.17, ticket_type="incident", priorities=(0.03, 0.5, 0.37, 0.1),
        tags=("login", "2fa"), first_solve=0.3, product_area="Login",
        subjects=("Lost phone, can't pass two-factor", "2FA codes not accepted", "Locked out by two-factor authentication",
                  "New phone, need to reset 2FA"),
        openings=(
            "I got a new phone and now I can't log in because the two-factor codes are on the old one.",
            "The 2FA codes from my authenticator app are always rejected.",
            "I lost my phone with the authenticator on it. How do I get into my account?",
        ),
        asks=("For security I need to verify it's you. Could you confirm your last order number and the date you created the account?",
              "To reset two-factor, please reply with the last four digits of the card on the account and your billing postcode."),
        details=("My last order was {order}, and I signed up around {date}.", "Card ends {last4}, postcode is the one on my account."),
        solutions=("Thanks, you're verified. I've reset two-factor authentication; you'll be asked to set it up again at your next login.",
                   "Your phone's clock was out of sync, which makes codes fail. Turning on automatic time fixes it.",
                   "Two-factor has been reset. I recommend saving the backup codes this time."),
        reopens=("Still can't get in after the reset.",),
        notes=("Identity verified with order history and card digits.", "Do not reset 2FA without verification, prior fraud flag."),
    ),
    Topic(
        key="account_locked", queue="Accounts", weight=0.13, ticket_type="incident", priorities=(0.03, 0.5, 0.35, 0.12),
        tags=("login", "security"), first_solve=0.45, product_area="Security",
        subjects=("Account locked", "My account has been suspended", "Too many login attempts", "Suspicious login alert"),
        openings=(
            "My account says it's locked after too many attempts. I didn't even try that many times.",
            "I got an email about a login from another country. It wasn't me and now I'm locked out.",
            "Why has my account been suspended? I haven't done anything wrong.",
        ),
        asks=("Could you confirm whether you recognise logins from {browser} on {date}? I'll check the security log.",),
        details=("No, that wasn't me. I've never used that browser.", "That might have been my partner on our shared laptop."),
        solutions=("I've unlocked your account and ended all other sessions. Please set a new password and turn on two-factor.",
                   "The lock was triggered by our fraud checks by mistake. It's lifted now, sorry for the worry.",
                   "Your account is unlocked. The suspicious attempts were blocked and nothing was changed."),
        reopens=("It locked me out again this morning.",),
        notes=("Credential stuffing pattern from a known IP range.", "Security team informed."),
    ),
    Topic(
        key="cancel_subscription", queue="Accounts", weight=0.24, ticket_type="task", priorities=(0.15, 0.7, 0.13, 0.02),
        tags=("cancellation", "subscription"), first_solve=0.4, product_area="Subscriptions",
        subjects=("Cancel my subscription", "Please cancel my {plan}", "How do I cancel?", "Stop auto-renewal",
                  "Cancel and refund last payment"),
        openings=(
            "Please cancel my {plan}. I don't use the app enough to justify the cost.",
            "I'd like to cancel before the next renewal on {date}. I can't find the option in the app.",
            "I was charged for another year without a reminder. I want to cancel and get a refund.",
        ),
        asks=("I can do that for you. Before I do: would a switch to the free plan or a 3-month pause suit you better?",
              "Sorry to see you go. May I ask why you're cancelling? It helps us improve."),
        details=("No thanks, please just cancel.", "A pause sounds good actually, let's do that.",
                 "Mostly the price. I only use it a few times a year."),
        solutions=("Your {plan} is cancelled and won't renew. You keep access until {date}.",
                   "I've paused your subscription for 3 months; nothing will be charged until {date}.",
                   "Cancelled, and as the renewal was only two days ago I've refunded {amount} in full."),
        reopens=("I was charged again even though you cancelled it.",),
        notes=("Retention offer declined.", "Annual plan, refund within 14 days is policy."),
    ),
    Topic(
        key="complaint", queue="Accounts", weight=0.18, ticket_type="complaint", priorities=(0.0, 0.45, 0.4, 0.15),
        tags=("complaint",), first_solve=0.3, product_area="Customer relations",
        subjects=("Very disappointed with your service", "Complaint about my last order", "Nobody answers my emails",
                  "Formal complaint", "Worst customer experience ever"),
        openings=(
            "This is the third time I'm writing about the same issue and nobody has helped. I want to speak to a manager.",
            "I'm very unhappy with how my order {order} was handled. Late, wrong, and then no reply for a week.",
            "Your support promised a callback that never came. This is not acceptable for a {tier} customer.",
        ),
        asks=("I'm sorry about how this went. I've read the full history; could you tell me what outcome would make this right for you?",),
        details=("I want a full refund and an apology.", "Honestly I just want the product I paid for, delivered."),
        solutions=("I've refunded {amount}, added a {voucher} voucher, and spoken to the team about what went wrong. I'm sorry we let you down.",
                   "Your order has been sent by express delivery (tracking {tracking}) and I've refunded the shipping. I'll personally keep an eye on it.",
                   "Thank you for your patience. I've escalated your feedback to our head of support and resolved the underlying issue."),
        reopens=("This still isn't resolved. I'm considering leaving a public review.",),
        notes=("Escalated to team lead for review.", "Customer has two earlier tickets on this, see history."),
    ),
)

QUEUES: tuple[tuple[str, str, str, float], ...] = (
    # name, team name, description, share of all tickets
    ("Orders", "Orders & Billing", "Deliveries, returns, wrong or damaged items.", 0.30),
    ("Billing", "Orders & Billing", "Payments, refunds and invoices.", 0.20),
    ("Technical", "Technical", "App and API problems, bugs and feature requests.", 0.28),
    ("Accounts", "Accounts", "Logins, security, subscriptions and complaints.", 0.22),
)
