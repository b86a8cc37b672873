"""Who is in the demo: the support department's staff, and name parts for customers and companies."""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "frontline-demo"
STAFF_DOMAIN = "staff.frontline-demo.example"  # every demo address ends in the reserved .example TLD
DEMO_TLD = ".example"


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    role: str  # people.Role value
    team: str = ""  # the team they work in; a lead leads it
    languages: tuple[str, ...] = ("en",)
    hours: int = 40  # contracted per week


@dataclass(frozen=True)
class TeamSpec:
    name: str
    time_zone: str
    description: str
    skills: tuple[str, ...]


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("Orders & Billing", "Europe/London", "Orders, deliveries, returns, payments and invoices.",
             ("orders", "shipping", "returns", "billing", "refunds")),
    TeamSpec("Technical", "Europe/Berlin", "The app, the web app and the API: bugs, sync, exports, integrations.",
             ("technical", "mobile", "web", "api", "bugs")),
    TeamSpec("Accounts", "America/New_York", "Logins, security, subscriptions and customer relations.",
             ("accounts", "security", "subscriptions", "complaints")),
)

STAFF: tuple[StaffMember, ...] = (
    StaffMember("admin", "Alex", "Morgan", "admin"),
    StaffMember("manager", "Maria", "Okafor", "manager", languages=("en", "fr")),
    # Orders & Billing, London
    StaffMember("lead", "Priya", "Raman", "team_lead", "Orders & Billing", ("en", "hi")),
    StaffMember("agent", "Jamie", "Lewis", "agent", "Orders & Billing"),
    StaffMember("aisha.khan", "Aisha", "Khan", "agent", "Orders & Billing", ("en", "ur")),
    StaffMember("daniel.murphy", "Daniel", "Murphy", "agent", "Orders & Billing", hours=32),
    StaffMember("sofia.rossi", "Sofia", "Rossi", "agent", "Orders & Billing", ("en", "it")),
    StaffMember("kwame.mensah", "Kwame", "Mensah", "agent", "Orders & Billing"),
    StaffMember("chloe.martin", "Chloe", "Martin", "agent", "Orders & Billing", ("en", "fr"), hours=24),
    StaffMember("oliver.grant", "Oliver", "Grant", "agent", "Orders & Billing"),
    StaffMember("ravi.patel", "Ravi", "Patel", "agent", "Orders & Billing", ("en", "gu")),
    StaffMember("emily.zhang", "Emily", "Zhang", "agent", "Orders & Billing", ("en", "zh"), hours=32),
    StaffMember("tom.becker", "Tom", "Becker", "agent", "Orders & Billing", ("en", "de")),
    StaffMember("hannah.okoye", "Hannah", "Okoye", "agent", "Orders & Billing"),
    StaffMember("samuel.wright", "Samuel", "Wright", "agent", "Orders & Billing", ("en", "es")),
    StaffMember("niamh.kelly", "Niamh", "Kelly", "agent", "Orders & Billing", ("en", "ga")),
    # Technical, Berlin
    StaffMember("lead2", "Lukas", "Weber", "team_lead", "Technical", ("de", "en")),
    StaffMember("mia.hoffmann", "Mia", "Hoffmann", "agent", "Technical", ("de", "en")),
    StaffMember("jonas.keller", "Jonas", "Keller", "agent", "Technical", ("de", "en")),
    StaffMember("anna.kowalska", "Anna", "Kowalska", "agent", "Technical", ("pl", "en", "de")),
    StaffMember("mateo.garcia", "Mateo", "García", "agent", "Technical", ("es", "en"), hours=32),
    StaffMember("lena.fischer", "Lena", "Fischer", "agent", "Technical", ("de", "en")),
    StaffMember("yusuf.demir", "Yusuf", "Demir", "agent", "Technical", ("tr", "de", "en")),
    StaffMember("sara.lindqvist", "Sara", "Lindqvist", "agent", "Technical", ("sv", "en"), hours=24),
    StaffMember("noah.bauer", "Noah", "Bauer", "agent", "Technical", ("de", "en")),
    StaffMember("emil.jensen", "Emil", "Jensen", "agent", "Technical", ("da", "de", "en")),
    StaffMember("clara.wagner", "Clara", "Wagner", "agent", "Technical", ("de", "en")),
    StaffMember("piotr.nowak", "Piotr", "Nowak", "agent", "Technical", ("pl", "de", "en")),
    StaffMember("zofia.wisniewska", "Zofia", "Wiśniewska", "agent", "Technical", ("pl", "en"), hours=24),
    # Accounts, New York
    StaffMember("lead3", "Grace", "Thompson", "team_lead", "Accounts"),
    StaffMember("marcus.johnson", "Marcus", "Johnson", "agent", "Accounts"),
    StaffMember("isabella.cruz", "Isabella", "Cruz", "agent", "Accounts", ("en", "es")),
    StaffMember("ethan.brooks", "Ethan", "Brooks", "agent", "Accounts", hours=32),
    StaffMember("olivia.nguyen", "Olivia", "Nguyen", "agent", "Accounts", ("en", "vi")),
    StaffMember("diego.alvarez", "Diego", "Alvarez", "agent", "Accounts", ("es", "en")),
    StaffMember("ava.robinson", "Ava", "Robinson", "agent", "Accounts", hours=24),
    StaffMember("samuel.cohen", "Samuel", "Cohen", "agent", "Accounts"),
    StaffMember("ruby.walker", "Ruby", "Walker", "agent", "Accounts"),
    StaffMember("carlos.martinez", "Carlos", "Martínez", "agent", "Accounts", ("es", "en")),
    StaffMember("layla.hassan", "Layla", "Hassan", "agent", "Accounts", ("en", "ar"), hours=32),
)

CUSTOMER_LOGIN = ("customer", "Emma", "Clarke")  # username, first, last; a gold company that shares tickets

FIRST_NAMES = (
    "Liam", "Olivia", "Noah", "Emma", "Oliver", "Amelia", "Elijah", "Sophia", "James", "Isla", "William", "Ava",
    "Benjamin", "Mia", "Lucas", "Harper", "Henry", "Evelyn", "Theo", "Freya", "Jack", "Grace", "Leo", "Chloe",
    "Arjun", "Ananya", "Mohammed", "Fatima", "Wei", "Mei", "Hiroshi", "Yuki", "Carlos", "Lucía", "Mateus", "Beatriz",
    "Kofi", "Amara", "Tariq", "Layla", "Ivan", "Olga", "Piotr", "Zofia", "Lars", "Ingrid", "Sean", "Niamh",
    "Ahmed", "Nour", "Daniel", "Hannah", "Samuel", "Ella", "Joseph", "Ruby", "David", "Lily", "Thomas", "Zoe",
    "Kenji", "Aiko", "Rahul", "Sana", "Diego", "Valentina", "Tobias", "Clara", "Emil", "Alma", "Finn", "Maja",
)
LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Müller",
    "Schneider", "Fischer", "Meyer", "Wagner", "Becker", "Dubois", "Laurent", "Moreau", "García", "Martínez",
    "López", "Silva", "Santos", "Rossi", "Russo", "Ferrari", "Nowak", "Kowalski", "Wiśniewski", "Jensen", "Hansen",
    "Nielsen", "Andersson", "Johansson", "O'Brien", "Murphy", "Kelly", "Chen", "Wang", "Li", "Kim", "Park",
    "Tanaka", "Suzuki", "Singh", "Kumar", "Khan", "Ali", "Hassan", "Okoye", "Mensah", "Nguyen", "Tran", "Cohen",
)
COMPANY_FIRST = (
    "Northwind", "Bluepeak", "Redwood", "Silverline", "Granite", "Harbor", "Evergreen", "Summit", "Lakeside",
    "Ironbridge", "Brightwater", "Foxglove", "Highland", "Kestrel", "Maple", "Oakridge", "Pinecrest", "Riverstone",
    "Stonegate", "Willow", "Aurora", "Cobalt", "Juniper", "Meridian", "Nimbus", "Orchard", "Polar", "Quarry",
    "Sable", "Tidewater", "Upland", "Vantage", "Westbrook", "Yarrow", "Zephyr", "Alder", "Beacon", "Crescent",
)
COMPANY_SECOND = (
    "Outdoors", "Adventures", "Scouts", "Expeditions", "Travel", "Schools", "Rangers", "Trekking Club", "Guides",
    "Logistics", "Sports", "Camps", "Mountain Rescue", "Events", "Retail", "Hiking Society", "Tours", "Academy",
)
PERSONAL_DOMAINS = ("mail.example", "inbox.example", "post.example", "webmail.example")
CUSTOMER_TIME_ZONES = ("Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
                       "Europe/Madrid", "Europe/Warsaw", "America/Los_Angeles")
