"""What the offline writers know about each kind of business: tone, look, audience and phrasing.

Templates may use these fields, filled by `merlin_assets.writers.text.context`: {name}, {label},
{area} (the location or "the local area"), {in_area} ("in Leith" or "locally"), {services},
{service}, {audience}, {customer} and {customers}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from merlin_assets.config import ProjectConfig


@dataclass(frozen=True)
class Variant:
    """A narrower trade inside a profile (a café inside the bakery profile) with its own label."""

    keywords: tuple[str, ...]
    schema_type: str
    label: str


@dataclass(frozen=True)
class IndustryProfile:
    """Rule-of-thumb knowledge about one industry, used to write its site without an LLM."""

    key: str
    label: str
    keywords: tuple[str, ...]
    personality: tuple[str, ...]
    visual_keywords: tuple[str, ...]
    color_direction: str
    palette: tuple[str, str, str]
    font_pairs: tuple[tuple[str, str], ...]
    schema_type: str
    trust_builders: tuple[str, ...]
    audience: str
    customer: str
    customers: str
    pain_points: tuple[str, ...]
    goals: tuple[str, ...]
    process: tuple[tuple[str, str], ...]
    faqs: tuple[tuple[str, str], ...]
    testimonials: tuple[str, ...]
    roles: tuple[str, ...]
    default_services: tuple[str, ...]
    promises: tuple[str, ...]
    image_subjects: tuple[str, ...]
    image_scene: str
    conversion_goal: str
    cta_primary: tuple[str, ...]
    cta_secondary: tuple[str, ...]
    emotional_tone: str
    extra_sections: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()


BAKERY = IndustryProfile(
    key="bakery",
    label="bakery",
    keywords=(
        "bakery",
        "baker",
        "bakehouse",
        "boulangerie",
        "patisserie",
        "pastry",
        "cake",
        "cupcake",
        "cafe",
        "café",
        "coffee",
        "coffee shop",
        "coffee house",
        "tea room",
        "espresso bar",
    ),
    personality=("warm", "artisanal", "welcoming", "honest", "cheerful"),
    visual_keywords=("golden crusts", "flour-dusted wood", "morning light", "hand-made", "cosy"),
    color_direction=(
        "Warm crust browns and toasted caramel with a honey accent, on a soft cream ground, "
        "so the site feels like walking into a bakery at first light."
    ),
    palette=("#8b4a2b", "#c2783f", "#e0a526"),
    font_pairs=(("Playfair Display", "Source Sans 3"), ("Fraunces", "Lato")),
    schema_type="Bakery",
    trust_builders=(
        "Baked on site every morning",
        "Ingredients from named local suppliers",
        "Allergen information for every bake",
        "Reviews from regulars",
        "Photos of the real counter, not stock images",
    ),
    audience="families, office workers and bread lovers",
    customer="customer",
    customers="customers",
    pain_points=(
        "Supermarket bread that is stale by tomorrow",
        "Not knowing what is fresh today before making the trip",
        "Celebration cakes that look better than they taste",
        "Unclear allergen information",
    ),
    goals=(
        "Pick up something freshly baked on the way to work",
        "Order a cake for a birthday or celebration without fuss",
        "Find a friendly spot for coffee and a pastry",
        "Feed a team meeting with something better than biscuits",
    ),
    process=(
        ("Choose your bake", "Browse today's counter or tell us what you are celebrating."),
        ("Order ahead", "Reserve loaves or place a cake order by phone, email or in person."),
        ("We bake it fresh", "Everything is made by hand in our kitchen, in small batches."),
        ("Collect and enjoy", "Pick up at the counter, warm and boxed, at the time that suits."),
    ),
    faqs=(
        (
            "Do I need to order celebration cakes in advance?",
            "For most cakes a few days' notice is plenty; for weddings and large events, get in "
            "touch with {name} a couple of weeks ahead so we can plan flavours and sizes.",
        ),
        (
            "Do you cater for allergies and dietary needs?",
            "Every bake at {name} is labelled with its allergens, and we always have options for "
            "common dietary needs. Ask at the counter and we will talk you through them.",
        ),
        (
            "Can I reserve bread for collection?",
            "Yes. Call or message {name} the day before and we will set your loaves aside so "
            "they are waiting for you when you arrive.",
        ),
        (
            "Do you supply offices, cafés or events {in_area}?",
            "We regularly bake for meetings, events and local businesses. Tell us numbers and "
            "dates and we will suggest a selection from {services}.",
        ),
        (
            "What time is everything fresh?",
            "We bake early every morning, so the widest choice is on the counter first thing. "
            "Popular bakes can sell out, which is why many {customers} order ahead.",
        ),
    ),
    testimonials=(
        "The best bread {in_area}, and the team always remembers my order. "
        "{name} is part of my Saturday routine now.",
        "We ordered a birthday cake from {name} and it disappeared in minutes. "
        "It tasted even better than it looked.",
        "I pick up breakfast at {name} on the way to work. Friendly, quick and "
        "everything tastes freshly made, because it is.",
        "They baked for our office meeting at short notice. Everyone asked where the "
        "pastries came from.",
    ),
    roles=("Regular customer", "Local parent", "Office manager", "Weekend regular"),
    default_services=("Artisan bread", "Pastries and viennoiserie", "Celebration cakes"),
    promises=(
        "baked by hand in small batches every morning",
        "made with good flour, real butter and plenty of patience",
        "ready to order ahead for birthdays, meetings and lazy weekends",
        "made fresh with seasonal, local ingredients",
    ),
    image_subjects=(
        "rustic loaves cooling on a wooden rack",
        "a counter of glossy pastries in morning light",
        "a baker shaping dough on a floured bench",
        "a layered celebration cake on a cake stand",
    ),
    image_scene="kitchen",
    conversion_goal="Order ahead or visit the counter",
    cta_primary=("Order ahead", "See today's bakes", "Order a cake"),
    cta_secondary=("Find us", "Visit the bakery", "Get directions"),
    emotional_tone="Warm, comforting and a little indulgent",
    extra_sections=("gallery",),
    variants=(
        Variant(
            ("cafe", "café", "coffee", "coffee shop", "espresso bar"), "CafeOrCoffeeShop", "café"
        ),
        Variant(("patisserie", "pastry"), "Bakery", "patisserie"),
    ),
)

RESTAURANT = IndustryProfile(
    key="restaurant",
    label="restaurant",
    keywords=(
        "restaurant",
        "bistro",
        "brasserie",
        "trattoria",
        "eatery",
        "diner",
        "gastropub",
        "pub",
        "bar",
        "wine bar",
        "pizzeria",
        "tapas",
        "sushi",
        "steakhouse",
        "food truck",
        "catering",
    ),
    personality=("inviting", "confident", "convivial", "refined", "generous"),
    visual_keywords=("candlelit tables", "seasonal plates", "open kitchen", "warm wood", "linen"),
    color_direction=(
        "Deep wine red and herb green with a brass accent on warm off-white: appetising, "
        "grown-up and welcoming rather than fast-food bright."
    ),
    palette=("#7a1f2b", "#2f4f3a", "#c99a3c"),
    font_pairs=(("Playfair Display", "Lato"), ("Cormorant Garamond", "Source Sans 3")),
    schema_type="Restaurant",
    trust_builders=(
        "A menu that shows real dishes and prices",
        "Guest reviews and press mentions",
        "Clear allergen and dietary guidance",
        "Ingredients from local producers",
        "Easy online table booking",
    ),
    audience="couples, friends and families",
    customer="guest",
    customers="guests",
    pain_points=(
        "Not being able to see the menu before booking",
        "Booking by phone only, during opening hours",
        "Worrying whether the kitchen can handle dietary needs",
        "Noisy, rushed meals that do not feel special",
    ),
    goals=(
        "Book a table for a special occasion in a few taps",
        "Know what is on the menu this week",
        "Find somewhere that handles group bookings well",
        "Enjoy an evening out without surprises",
    ),
    process=(
        ("Browse the menu", "See this season's dishes and drinks before you arrive."),
        ("Book your table", "Choose a time online or call us for larger groups."),
        ("Tell us your needs", "Let us know about allergies, occasions or accessibility."),
        ("Sit back and enjoy", "We take care of the rest, from the first drink to dessert."),
    ),
    faqs=(
        (
            "Do I need to book a table?",
            "Booking is the best way to be sure of a table at {name}, especially at weekends. "
            "We keep a few tables for walk-ins when we can.",
        ),
        (
            "Can you cater for allergies and dietary requirements?",
            "Yes. Tell us when you book and our kitchen will guide you through the menu; most "
            "dishes can be adapted for common dietary needs.",
        ),
        (
            "Do you take group and private bookings?",
            "We love hosting groups. For larger parties or private events {in_area}, contact "
            "{name} and we will put together a menu that suits the occasion.",
        ),
        (
            "Is the menu the same all year?",
            "Our menu changes with the seasons so we can cook with the best local produce. "
            "Signature dishes stay, and the specials board changes more often.",
        ),
        (
            "Do you offer takeaway or catering?",
            "Ask us about {services}. We are happy to talk through what works for your event "
            "or evening at home.",
        ),
    ),
    testimonials=(
        "We celebrated our anniversary at {name} and every course was a highlight. "
        "The staff made it feel special without any fuss.",
        "Booked a table for twelve and they handled it beautifully. The sharing plates "
        "were a hit with the whole group.",
        "Our go-to for a proper dinner {in_area}. The menu changes often enough that "
        "there is always something new to try.",
        "I have a nut allergy and the team talked me through every dish. I could relax "
        "and enjoy the meal.",
    ),
    roles=("Dinner guest", "Regular guest", "Birthday party host", "Local food lover"),
    default_services=("Lunch and dinner", "Private dining", "Seasonal tasting menu"),
    promises=(
        "cooked from scratch with seasonal produce",
        "built around dishes our regulars keep coming back for",
        "planned with you for birthdays, anniversaries and team nights",
        "served with care by a team that knows the menu inside out",
    ),
    image_subjects=(
        "a beautifully plated seasonal dish on a rustic table",
        "a warmly lit dining room set for dinner",
        "chefs at work in an open kitchen",
        "friends sharing plates and wine at a long table",
    ),
    image_scene="kitchen",
    conversion_goal="Book a table",
    cta_primary=("Book a table", "Reserve your table", "Book now"),
    cta_secondary=("View the menu", "See the menu", "Plan a private event"),
    emotional_tone="Convivial, appetising and quietly special",
    extra_sections=("gallery",),
    variants=(
        Variant(("pub", "gastropub"), "BarOrPub", "pub"),
        Variant(("bar", "wine bar"), "BarOrPub", "bar"),
        Variant(("pizzeria",), "Restaurant", "pizzeria"),
        Variant(("catering",), "FoodEstablishment", "catering company"),
    ),
)

LAW = IndustryProfile(
    key="law",
    label="law firm",
    keywords=(
        "law",
        "law firm",
        "lawyer",
        "attorney",
        "solicitor",
        "barrister",
        "legal",
        "legal services",
        "notary",
        "conveyancing",
        "immigration lawyer",
    ),
    personality=("trustworthy", "authoritative", "clear", "discreet", "professional"),
    visual_keywords=("calm offices", "natural light", "considered typography", "quiet confidence"),
    color_direction=(
        "Deep navy and slate with a restrained brass accent on clean white, signalling "
        "stability and discretion without feeling cold."
    ),
    palette=("#1f2f4a", "#56677f", "#b08d57"),
    font_pairs=(("Merriweather", "Source Sans 3"), ("Libre Baskerville", "Lato")),
    schema_type="LegalService",
    trust_builders=(
        "Regulated and fully insured",
        "Clear, fixed-fee quotes where possible",
        "Named lawyers with their experience",
        "Client reviews and case outcomes",
        "A free, no-obligation first conversation",
    ),
    audience="individuals, families and business owners",
    customer="client",
    customers="clients",
    pain_points=(
        "Fear of open-ended legal bills",
        "Jargon that makes it hard to understand options",
        "Slow replies at stressful moments",
        "Not knowing whether they even need a lawyer",
    ),
    goals=(
        "Understand their options in plain English",
        "Know the cost before committing",
        "Get the matter resolved quickly and properly",
        "Feel someone experienced is on their side",
    ),
    process=(
        ("Free first call", "Tell us what is happening and we will explain your options."),
        ("Clear proposal", "You receive a written scope and fee estimate before any work."),
        ("We act for you", "Your named lawyer handles the matter and keeps you updated."),
        ("Resolution", "We close the matter properly and stay available for what comes next."),
    ),
    faqs=(
        (
            "How much will my matter cost?",
            "{name} agrees fees in writing before any work begins. Many matters can be handled "
            "on a fixed fee, and we always explain what could change the estimate.",
        ),
        (
            "Is the first consultation free?",
            "Your first conversation with {name} is a no-obligation call to understand your "
            "situation and explain your options. We will tell you honestly if you need us.",
        ),
        (
            "How quickly will you respond?",
            "We aim to reply to new enquiries within one working day, and existing {customers} "
            "have a named lawyer they can contact directly.",
        ),
        (
            "Do you work with clients outside {area}?",
            "Many of our {customers} are based {in_area}, but a lot of our work, including "
            "{service}, can be handled by phone, video and secure email.",
        ),
        (
            "What should I bring to our first meeting?",
            "Any letters, contracts or documents related to your matter, plus a short timeline "
            "of what has happened. Do not worry if you do not have everything yet.",
        ),
    ),
    testimonials=(
        "{name} explained everything in plain English and the fee was exactly what they "
        "quoted. A stressful process felt manageable.",
        "I was dreading it, but they kept me updated at every step and got a result faster "
        "than I expected.",
        "Calm, thorough and always on the end of the phone. I would recommend {name} to "
        "anyone needing sound legal advice {in_area}.",
        "They handled our company's contracts with real care and spotted issues our "
        "previous advisers missed.",
    ),
    roles=("Private client", "Business owner", "Homebuyer", "Company director"),
    default_services=("Family law", "Property and conveyancing", "Wills and probate"),
    promises=(
        "explained in plain English before you commit",
        "handled by an experienced lawyer you can call directly",
        "offered on clear, agreed fees wherever possible",
        "approached with care, discretion and a focus on outcomes",
    ),
    image_subjects=(
        "a bright, calm meeting room with a lawyer and client talking",
        "neatly organised case files on a modern desk",
        "a handshake across a meeting table in natural light",
    ),
    image_scene="city",
    conversion_goal="Book a free initial consultation",
    cta_primary=("Book a free consultation", "Speak to a lawyer", "Request a call back"),
    cta_secondary=("See how we help", "Our services", "Meet the team"),
    emotional_tone="Reassuring, calm and quietly authoritative",
    extra_sections=("process", "team"),
    variants=(Variant(("notary",), "Notary", "notary"),),
)

DENTAL = IndustryProfile(
    key="dental",
    label="dental practice",
    keywords=(
        "dental",
        "dentist",
        "dentistry",
        "orthodontist",
        "orthodontics",
        "dental clinic",
        "dental practice",
        "teeth",
    ),
    personality=("caring", "reassuring", "modern", "gentle", "professional"),
    visual_keywords=("bright clinic", "soft daylight", "calm treatment rooms", "genuine smiles"),
    color_direction=(
        "Fresh teal-blue with a soft aqua and a warm apricot accent on airy white: clean and "
        "clinical enough to trust, warm enough to calm nervous patients."
    ),
    palette=("#1c6e8c", "#4fa3a5", "#e8904f"),
    font_pairs=(("Nunito", "Open Sans"), ("Poppins", "Inter")),
    schema_type="Dentist",
    trust_builders=(
        "Registered, experienced dentists",
        "Gentle care for nervous patients",
        "Transparent treatment prices",
        "Patient reviews",
        "Modern equipment and hygiene standards",
    ),
    audience="families, busy professionals and nervous patients",
    customer="patient",
    customers="patients",
    pain_points=(
        "Anxiety about dental visits",
        "Unclear treatment costs",
        "Difficulty getting an appointment that fits work and school",
        "Feeling rushed in the chair",
    ),
    goals=(
        "Book a check-up at a time that suits",
        "Understand treatment options and costs upfront",
        "Feel comfortable and listened to",
        "Keep the whole family's teeth healthy",
    ),
    process=(
        ("Book online or call", "Pick a time that suits you, including early appointments."),
        ("Consultation", "We examine, listen and explain what we see in plain language."),
        ("Treatment plan", "You get clear options and prices before anything starts."),
        ("Ongoing care", "Friendly reminders keep your check-ups on track."),
    ),
    faqs=(
        (
            "Are you accepting new patients?",
            "Yes, {name} welcomes new patients of all ages. Book online or call and we will "
            "find a first appointment that suits you.",
        ),
        (
            "I am nervous about the dentist. Can you help?",
            "Many of our {customers} feel the same. We take things at your pace, explain each "
            "step and agree a signal so you can pause at any time.",
        ),
        (
            "How much does treatment cost?",
            "We always give you a written treatment plan with prices before we begin, so there "
            "are no surprises. Check-up fees are listed on our services page.",
        ),
        (
            "What should I do in a dental emergency?",
            "Call {name} as early as you can. We keep time aside for urgent cases and will "
            "advise you over the phone on what to do straight away.",
        ),
        (
            "Do you offer {service}?",
            "Yes. {service} is one of our most requested treatments; book a consultation and "
            "we will explain whether it is right for you.",
        ),
    ),
    testimonials=(
        "I used to dread the dentist. The team at {name} were so gentle that I actually "
        "booked my next check-up on the way out.",
        "Brilliant with our kids. They explained everything and made it fun.",
        "Clear prices, no pressure and a result I am really happy with. Best dental "
        "practice {in_area}.",
        "Got an emergency appointment the same day and they sorted the pain quickly. "
        "Very grateful.",
    ),
    roles=("Patient", "Parent of two", "Nervous patient", "Long-time patient"),
    default_services=("Check-ups and hygiene", "Teeth whitening", "Emergency dental care"),
    promises=(
        "delivered gently, at a pace that suits you",
        "priced clearly before treatment starts",
        "carried out with modern equipment and careful technique",
        "planned around family, school and work diaries",
    ),
    image_subjects=(
        "a bright, calm dental treatment room with soft daylight",
        "a smiling dentist talking with a relaxed patient",
        "a welcoming clinic reception with plants",
    ),
    image_scene="studio",
    conversion_goal="Book an appointment",
    cta_primary=("Book an appointment", "Book a check-up", "Request an appointment"),
    cta_secondary=("See treatments", "Meet the team", "Call the practice"),
    emotional_tone="Calm, caring and reassuring",
    extra_sections=("team", "process"),
    variants=(Variant(("orthodontist", "orthodontics"), "Dentist", "orthodontic practice"),),
)

MEDICAL = IndustryProfile(
    key="medical",
    label="clinic",
    keywords=(
        "medical",
        "clinic",
        "doctor",
        "gp",
        "physiotherapy",
        "physiotherapist",
        "physio",
        "chiropractor",
        "chiropractic",
        "osteopath",
        "therapist",
        "therapy",
        "counselling",
        "counseling",
        "psychologist",
        "health",
        "healthcare",
        "nutritionist",
        "optician",
    ),
    personality=("caring", "expert", "calm", "reassuring", "clear"),
    visual_keywords=("soft daylight", "calm consulting rooms", "natural materials", "greenery"),
    color_direction=(
        "Trustworthy clinical blue with a gentle sage and a warm coral accent on white, "
        "so the site feels competent and humane at once."
    ),
    palette=("#1d5f8a", "#5b9a8b", "#d9735a"),
    font_pairs=(("Nunito", "Source Sans 3"), ("Lora", "Inter")),
    schema_type="MedicalClinic",
    trust_builders=(
        "Qualified, registered practitioners",
        "Evidence-based treatment",
        "Patient reviews",
        "Clear prices and insurance information",
        "Appointments within days, not weeks",
    ),
    audience="people who want expert, unhurried care",
    customer="patient",
    customers="patients",
    pain_points=(
        "Long waiting lists",
        "Feeling unheard in short appointments",
        "Confusing information about treatment options",
        "Not knowing what a session costs",
    ),
    goals=(
        "Get seen quickly by someone qualified",
        "Understand what is wrong and how to fix it",
        "Get back to work, sport and everyday life",
        "Book at a time that fits around life",
    ),
    process=(
        ("Book an assessment", "Choose a time online or call; most patients are seen quickly."),
        ("Assessment", "We listen, examine and explain what is going on."),
        ("Your plan", "A clear treatment plan with goals, timescales and costs."),
        ("Recovery", "Hands-on care and guidance until you are back to full strength."),
    ),
    faqs=(
        (
            "Do I need a referral?",
            "No referral is needed to book with {name}. If we think another specialist is a "
            "better fit, we will tell you and help you find one.",
        ),
        (
            "How soon can I be seen?",
            "We keep appointments free every week for new {customers}, so most people are seen "
            "within a few days of getting in touch.",
        ),
        (
            "What happens at the first appointment?",
            "We take a full history, assess you carefully and explain what we find in plain "
            "language, then agree a plan with you.",
        ),
        (
            "Do you work with insurers?",
            "Many of our {customers} use private health insurance. Ask {name} when you book and "
            "we will confirm what is covered.",
        ),
        (
            "Which treatments do you offer?",
            "Our main services are {services}. If you are not sure which is right for you, call "
            "us and we will point you in the right direction.",
        ),
    ),
    testimonials=(
        "After months of back pain I was moving freely within a few sessions at {name}. "
        "They explained everything clearly.",
        "Seen within two days, properly listened to and given a plan that worked.",
        "Professional, kind and genuinely invested in getting me back to running. "
        "Highly recommend {name}.",
        "The best care I have had {in_area}. No rush, no jargon, just real help.",
    ),
    roles=("Patient", "Recreational runner", "Office worker", "Returning patient"),
    default_services=("Initial assessment", "Treatment sessions", "Rehabilitation plans"),
    promises=(
        "tailored to you after a thorough assessment",
        "delivered by qualified, caring practitioners",
        "available within days, not weeks",
        "explained clearly so you know exactly what to expect",
    ),
    image_subjects=(
        "a calm, bright consulting room with natural light",
        "a practitioner guiding a patient through an exercise",
        "a welcoming clinic reception with plants and soft seating",
    ),
    image_scene="studio",
    conversion_goal="Book an assessment",
    cta_primary=("Book an appointment", "Book an assessment", "Check availability"),
    cta_secondary=("Our treatments", "Meet the team", "Call the clinic"),
    emotional_tone="Calm, capable and kind",
    extra_sections=("team", "process"),
    variants=(
        Variant(("physiotherapy", "physiotherapist", "physio"), "Physiotherapy", "physio clinic"),
        Variant(("optician",), "Optician", "optician"),
        Variant(
            ("therapy", "therapist", "counselling", "counseling", "psychologist"),
            "MedicalBusiness",
            "therapy practice",
        ),
    ),
)

FITNESS = IndustryProfile(
    key="fitness",
    label="gym",
    keywords=(
        "gym",
        "fitness",
        "personal trainer",
        "personal training",
        "yoga",
        "pilates",
        "crossfit",
        "boxing",
        "martial arts",
        "dance studio",
        "bootcamp",
        "spin",
        "climbing",
    ),
    personality=("energetic", "motivating", "bold", "supportive", "inclusive"),
    visual_keywords=("movement", "strong light", "real members training", "sweat and smiles"),
    color_direction=(
        "High-energy red against near-black with a bright amber accent, on a clean light "
        "ground: motivating and bold, never intimidating."
    ),
    palette=("#d7263d", "#1f2430", "#f6ae2d"),
    font_pairs=(("Montserrat", "Open Sans"), ("Oswald", "Lato")),
    schema_type="ExerciseGym",
    trust_builders=(
        "Qualified coaches",
        "A free trial session",
        "Member transformations and reviews",
        "No long contracts",
        "Classes for every level",
    ),
    audience="beginners, busy professionals and regulars",
    customer="member",
    customers="members",
    pain_points=(
        "Feeling intimidated walking into a gym",
        "Paying for memberships they never use",
        "Not knowing where to start",
        "Losing motivation after a few weeks",
    ),
    goals=(
        "Get fitter and stronger with a plan that works",
        "Train with people who keep them motivated",
        "Fit workouts around work and family",
        "Try it before committing",
    ),
    process=(
        ("Book a free session", "Come in, meet a coach and see how we train."),
        ("Set your goals", "We agree what you want to achieve and how to measure it."),
        ("Train with support", "Classes and coaching matched to your level."),
        ("See progress", "Regular check-ins keep you moving forward."),
    ),
    faqs=(
        (
            "I am a complete beginner. Is that okay?",
            "Absolutely. Many {customers} of {name} started from zero; our coaches scale every "
            "session so you can work at your own level.",
        ),
        (
            "Can I try before I join?",
            "Yes. Book a free trial session at {name} and get a feel for the coaching, the "
            "classes and the people before you commit to anything.",
        ),
        (
            "Do I have to sign a long contract?",
            "No. Our memberships are rolling and easy to pause or cancel, because we would "
            "rather keep you through results than small print.",
        ),
        (
            "What should I bring to my first session?",
            "Comfortable clothes, trainers and a water bottle. We will take care of the rest "
            "and show you around when you arrive.",
        ),
        (
            "Which classes and services do you offer?",
            "You can choose from {services}. Check the timetable or ask a coach which is the "
            "best fit for your goals.",
        ),
    ),
    testimonials=(
        "I was nervous walking into {name}, but the coaches made me feel at home from day "
        "one. Six months later I am the strongest I have ever been.",
        "The classes are tough but so much fun. The community keeps me coming back.",
        "Finally a gym where the coaches actually know your name and your goals.",
        "Flexible membership, great coaching and real results. I wish I had joined sooner.",
    ),
    roles=("Member", "Member since last year", "Beginner turned regular", "Early-morning member"),
    default_services=("Small group classes", "Personal training", "Beginner programmes"),
    promises=(
        "coached by qualified trainers who know your name",
        "scaled for every level, from first session to personal best",
        "scheduled around early starts, lunch breaks and evenings",
        "built to keep you motivated week after week",
    ),
    image_subjects=(
        "people training together in a bright, energetic gym",
        "a coach encouraging a member during a workout",
        "a group class in motion with dynamic light",
    ),
    image_scene="studio",
    conversion_goal="Book a free trial session",
    cta_primary=("Book a free session", "Start your free trial", "Join today"),
    cta_secondary=("See the timetable", "View memberships", "Meet the coaches"),
    emotional_tone="Energetic, encouraging and inclusive",
    extra_sections=("pricing", "gallery"),
    variants=(
        Variant(("yoga",), "SportsActivityLocation", "yoga studio"),
        Variant(("pilates",), "SportsActivityLocation", "Pilates studio"),
        Variant(("personal trainer", "personal training"), "ExerciseGym", "personal trainer"),
        Variant(("dance studio",), "SportsActivityLocation", "dance studio"),
    ),
)

HOME_SERVICES = IndustryProfile(
    key="home-services",
    label="home services company",
    keywords=(
        "plumber",
        "plumbing",
        "electrician",
        "electrical",
        "heating",
        "hvac",
        "boiler",
        "handyman",
        "home services",
        "home repair",
        "roofing",
        "roofer",
        "cleaning",
        "cleaner",
        "painter",
        "decorator",
        "carpenter",
        "joiner",
        "locksmith",
        "pest control",
    ),
    personality=("reliable", "straightforward", "friendly", "prompt", "trustworthy"),
    visual_keywords=("tidy workmanship", "branded vans", "clean homes", "bright daylight"),
    color_direction=(
        "Dependable blue with a safety orange and a bright yellow accent on white: "
        "practical, easy to read on a phone and instantly recognisable."
    ),
    palette=("#1e4d8c", "#e27822", "#f2c230"),
    font_pairs=(("Montserrat", "Open Sans"), ("Poppins", "Source Sans 3")),
    schema_type="HomeAndConstructionBusiness",
    trust_builders=(
        "Fully qualified and insured",
        "Fixed quotes before work starts",
        "Guaranteed workmanship",
        "Verified customer reviews",
        "Tidy, on-time engineers",
    ),
    audience="homeowners, landlords and small businesses",
    customer="customer",
    customers="customers",
    pain_points=(
        "Tradespeople who do not turn up or call back",
        "Surprise costs after the job is done",
        "Mess left behind",
        "Emergencies that cannot wait",
    ),
    goals=(
        "Get the problem fixed properly, first time",
        "Know the price before work starts",
        "Book someone reliable quickly",
        "Have the work guaranteed",
    ),
    process=(
        ("Tell us the problem", "Call or send a message with a photo if you can."),
        ("Fixed quote", "We give a clear price before any work begins."),
        ("Job done properly", "A qualified engineer arrives on time and works tidily."),
        ("Guaranteed", "Our workmanship is guaranteed, so you have peace of mind."),
    ),
    faqs=(
        (
            "Do you give fixed quotes?",
            "Yes. {name} gives a clear, written price before any work starts. If we find "
            "something unexpected, we stop and talk to you first.",
        ),
        (
            "Which areas do you cover?",
            "We work {in_area} and the surrounding neighbourhoods. Get in touch with your "
            "postcode and we will confirm straight away.",
        ),
        (
            "Do you handle emergencies?",
            "We keep time free for urgent jobs. Call {name} and we will tell you honestly how "
            "quickly we can be with you.",
        ),
        (
            "Are you qualified and insured?",
            "Every engineer is fully qualified for the work they do, and {name} carries full "
            "public liability insurance. We are happy to show certificates.",
        ),
        (
            "Is your work guaranteed?",
            "Yes. Our workmanship on {services} is guaranteed, and we will come back to put "
            "right anything that is not as it should be.",
        ),
    ),
    testimonials=(
        "{name} turned up exactly when they said, fixed the problem in an hour and left "
        "everything spotless.",
        "Clear quote, no surprises, brilliant work. Our new go-to {in_area}.",
        "Called on a Sunday with a leak and they talked me through it straight away. "
        "Genuinely helpful people.",
        "We use them across all our rental properties. Reliable and always easy to reach.",
    ),
    roles=("Homeowner", "Landlord", "Café owner", "Homeowner"),
    default_services=("Repairs and maintenance", "Installations", "Emergency call-outs"),
    promises=(
        "priced with a fixed quote before work starts",
        "carried out by qualified, insured engineers",
        "finished tidily and guaranteed",
        "booked quickly, with arrival times you can rely on",
    ),
    image_subjects=(
        "a tradesperson working carefully in a bright, tidy home",
        "a neat professional toolkit on a clean floor",
        "a friendly engineer greeting a homeowner at the door",
    ),
    image_scene="home",
    conversion_goal="Request a free quote or call now",
    cta_primary=("Get a free quote", "Request a quote", "Book a visit"),
    cta_secondary=("Call us now", "See our services", "Read reviews"),
    emotional_tone="Reassuring, practical and friendly",
    extra_sections=("process",),
    variants=(
        Variant(("plumber", "plumbing"), "Plumber", "plumber"),
        Variant(("electrician", "electrical"), "Electrician", "electrician"),
        Variant(("heating", "hvac", "boiler"), "HVACBusiness", "heating engineer"),
        Variant(("roofing", "roofer"), "RoofingContractor", "roofing company"),
        Variant(("locksmith",), "Locksmith", "locksmith"),
        Variant(("cleaning", "cleaner"), "HomeAndConstructionBusiness", "cleaning company"),
        Variant(("painter", "decorator"), "HousePainter", "painter and decorator"),
    ),
)

SOFTWARE = IndustryProfile(
    key="software",
    label="software company",
    keywords=(
        "software",
        "saas",
        "app",
        "platform",
        "startup",
        "tech",
        "technology",
        "it services",
        "it support",
        "web development",
        "developer",
        "cloud",
        "cybersecurity",
        "ai",
        "data",
    ),
    personality=("modern", "clear", "confident", "precise", "helpful"),
    visual_keywords=("clean interfaces", "abstract gradients", "product screenshots", "clarity"),
    color_direction=(
        "Confident indigo with a sky-blue secondary and a fresh green accent on crisp white: "
        "modern, focused and product-led."
    ),
    palette=("#4f46e5", "#0e7bb5", "#16a34a"),
    font_pairs=(("Inter", "Inter"), ("Space Grotesk", "IBM Plex Sans")),
    schema_type="Organization",
    trust_builders=(
        "Customer logos and case studies",
        "Security and privacy commitments",
        "A free trial with no card required",
        "Responsive human support",
        "Clear, public pricing",
    ),
    audience="growing teams",
    customer="customer",
    customers="customers",
    pain_points=(
        "Hours lost to manual, repetitive work",
        "Tools that do not talk to each other",
        "Complicated software that nobody adopts",
        "Unclear pricing and lock-in",
    ),
    goals=(
        "Save time every week",
        "Get set up quickly without IT projects",
        "See results they can report on",
        "Grow without adding headcount",
    ),
    process=(
        ("Sign up", "Create an account in minutes; no card needed to start."),
        ("Connect your tools", "Bring in your data with guided imports and integrations."),
        ("Automate the busywork", "Set up workflows that run without you."),
        ("Grow with confidence", "Track results and scale as your team grows."),
    ),
    faqs=(
        (
            "How long does it take to get started?",
            "Most teams are up and running with {name} in an afternoon. Guided setup and "
            "friendly onboarding help you import what you already have.",
        ),
        (
            "Is my data secure?",
            "Security is built in: data is encrypted in transit and at rest, access is "
            "controlled per user, and you can export everything at any time.",
        ),
        (
            "Can I try it before paying?",
            "Yes. Start a free trial of {name} without a card and explore every feature, "
            "including {service}.",
        ),
        (
            "Does it work with the tools we already use?",
            "{name} connects to the tools most teams rely on, and our support team can help "
            "with anything unusual.",
        ),
        (
            "What support do you offer?",
            "Real people answer support requests, with help docs and onboarding sessions for "
            "new {customers}.",
        ),
    ),
    testimonials=(
        "{name} saved our team hours every week. Setup took an afternoon and everyone "
        "actually uses it.",
        "Clear pricing, great support and a product that keeps getting better.",
        "We replaced three tools with {name} and finally have one place to see what is going on.",
        "The onboarding was excellent. Our whole team was confident within a week.",
    ),
    roles=("Operations lead", "Founder", "Head of customer success", "Product manager"),
    default_services=("Workflow automation", "Reporting dashboards", "Team collaboration"),
    promises=(
        "set up in minutes, not months",
        "built to remove repetitive work from your week",
        "designed with clear reporting your whole team can use",
        "backed by responsive human support",
    ),
    image_subjects=(
        "a clean laptop screen showing a colourful dashboard in a bright office",
        "a small team collaborating around a screen",
        "abstract flowing shapes suggesting connected data",
    ),
    image_scene="tech",
    conversion_goal="Start a free trial or book a demo",
    cta_primary=("Start your free trial", "Book a demo", "Get started free"),
    cta_secondary=("See how it works", "View pricing", "Talk to sales"),
    emotional_tone="Confident, clear and optimistic",
    extra_sections=("features", "pricing", "process"),
    variants=(
        Variant(("it services", "it support"), "ProfessionalService", "IT support company"),
        Variant(("web development", "developer"), "ProfessionalService", "web development studio"),
    ),
)

REAL_ESTATE = IndustryProfile(
    key="real-estate",
    label="estate agency",
    keywords=(
        "real estate",
        "realtor",
        "estate agent",
        "estate agency",
        "property",
        "properties",
        "lettings",
        "letting agent",
        "property management",
        "realty",
        "homes for sale",
    ),
    personality=("knowledgeable", "polished", "trustworthy", "local", "proactive"),
    visual_keywords=("beautiful interiors", "street scenes", "golden hour exteriors", "space"),
    color_direction=(
        "Deep navy with a bronze secondary and a soft gold accent on white: polished, "
        "premium and rooted in the local market."
    ),
    palette=("#17324d", "#8c6d46", "#c9a227"),
    font_pairs=(("Playfair Display", "Montserrat"), ("Cormorant Garamond", "Lato")),
    schema_type="RealEstateAgent",
    trust_builders=(
        "Local market knowledge and recent sales",
        "Transparent fees",
        "Reviews from sellers and buyers",
        "Professional photography and floor plans",
        "A named agent from valuation to completion",
    ),
    audience="home sellers, buyers, landlords and tenants",
    customer="client",
    customers="clients",
    pain_points=(
        "Agents who over-value to win instructions",
        "Poor communication once the board goes up",
        "Sales that fall through late",
        "Hidden fees",
    ),
    goals=(
        "Sell at the best price in a sensible timeframe",
        "Find the right home without endless viewings",
        "Understand what their property is worth",
        "Have one agent who keeps them informed",
    ),
    process=(
        ("Free valuation", "An honest, evidence-based valuation of your home."),
        ("Marketing", "Professional photos, floor plans and targeted listings."),
        ("Viewings and offers", "Accompanied viewings and clear advice on every offer."),
        ("Through to completion", "We chase the chain so your move stays on track."),
    ),
    faqs=(
        (
            "How do you value my property?",
            "{name} values homes using recent sales {in_area}, current demand and the details "
            "that make your property special, and we show you the evidence.",
        ),
        (
            "What are your fees?",
            "Our fees are agreed in writing before we market your home, with no hidden extras. "
            "Ask for a quote alongside your free valuation.",
        ),
        (
            "How long will it take to sell?",
            "It depends on price, property and season, but realistic pricing and strong "
            "marketing are the two things that shorten the wait most.",
        ),
        (
            "Do you handle lettings as well as sales?",
            "Ask {name} about {services}; we will explain exactly what is included.",
        ),
        (
            "Do you accompany viewings?",
            "Yes. An agent who knows your home attends viewings and gives you honest feedback "
            "afterwards.",
        ),
    ),
    testimonials=(
        "{name} valued our home honestly and sold it in three weeks. Communication was "
        "excellent from start to finish.",
        "They found us the perfect family home and kept the chain moving when it stalled.",
        "The photos and floor plans were superb. We had a great offer after the first "
        "weekend of viewings.",
        "As a landlord I need someone reliable. {name} has looked after my flats for years.",
    ),
    roles=("Home seller", "First-time buyer", "Landlord", "Relocating family"),
    default_services=("Property sales", "Lettings and management", "Free valuations"),
    promises=(
        "backed by real knowledge of the local market",
        "handled with honest advice and transparent fees",
        "managed by one named agent from start to finish",
        "marketed with professional photography and floor plans",
    ),
    image_subjects=(
        "a bright, beautifully staged living room",
        "a handsome house exterior at golden hour",
        "an agent showing a couple around a sunny kitchen",
        "a leafy residential street",
    ),
    image_scene="home",
    conversion_goal="Book a free property valuation",
    cta_primary=("Book a free valuation", "Arrange a valuation", "Book a viewing"),
    cta_secondary=("View properties", "Meet the team", "Call the office"),
    emotional_tone="Confident, polished and reassuring",
    extra_sections=("gallery", "process", "team"),
    variants=(
        Variant(
            ("lettings", "letting agent", "property management"),
            "RealEstateAgent",
            "letting agency",
        ),
    ),
)

BEAUTY = IndustryProfile(
    key="beauty",
    label="salon",
    keywords=(
        "salon",
        "beauty",
        "spa",
        "hair",
        "hairdresser",
        "hair salon",
        "barber",
        "barbershop",
        "nails",
        "nail salon",
        "massage",
        "aesthetics",
        "skincare",
        "makeup",
        "lashes",
        "brows",
        "wellness",
    ),
    personality=("elegant", "calm", "indulgent", "welcoming", "stylish"),
    visual_keywords=("soft textures", "natural light", "botanicals", "quiet luxury", "mirrors"),
    color_direction=(
        "Muted mauve with a blush secondary and a champagne accent on warm white: soft, "
        "stylish and relaxing."
    ),
    palette=("#8e5572", "#b07c8f", "#c9a96e"),
    font_pairs=(("Cormorant Garamond", "Lato"), ("Playfair Display", "Raleway")),
    schema_type="BeautySalon",
    trust_builders=(
        "Experienced, qualified stylists and therapists",
        "Premium products",
        "Client reviews and before-and-after photos",
        "Easy online booking",
        "Consultations before every new treatment",
    ),
    audience="anyone who wants to look and feel their best",
    customer="client",
    customers="clients",
    pain_points=(
        "Results that do not match what they asked for",
        "Hard-to-get appointments",
        "Feeling rushed",
        "Unclear prices",
    ),
    goals=(
        "Book a trusted stylist or therapist easily",
        "Leave feeling confident and relaxed",
        "Know the price before they sit down",
        "Find a salon they can stay with",
    ),
    process=(
        ("Book online", "Choose your treatment and a time that suits you."),
        ("Consultation", "We talk through what you want before we begin."),
        ("Treatment", "Relax while an expert takes care of you."),
        ("Aftercare", "Advice and products to keep the results looking great."),
    ),
    faqs=(
        (
            "How do I book?",
            "Book online any time or call {name}. New {customers} are always welcome, and we "
            "will suggest the right treatment if you are unsure.",
        ),
        (
            "Do you offer consultations?",
            "Yes. Every new treatment at {name} starts with a consultation, so we agree the "
            "result you want before we begin.",
        ),
        (
            "What is your cancellation policy?",
            "Please give us at least 24 hours' notice if you need to move an appointment, so "
            "we can offer the slot to someone else.",
        ),
        (
            "Which products do you use?",
            "We use professional products chosen for quality and gentleness, and we are happy "
            "to recommend aftercare that suits you.",
        ),
        (
            "Do you offer gift vouchers?",
            "Yes, vouchers for {services} make a lovely gift. Ask at reception or get in touch "
            "to buy one.",
        ),
    ),
    testimonials=(
        "I always leave {name} feeling a million dollars. They listen and the results are "
        "exactly what I hoped for.",
        "The most relaxing hour of my month. Beautiful salon, lovely people.",
        "Finally found a stylist who gets my hair. I will not go anywhere else {in_area}.",
        "Booked a treatment as a gift for my mum and she has been back three times since.",
    ),
    roles=("Regular client", "Bride-to-be", "New client", "Monthly regular"),
    default_services=("Cut and style", "Colour", "Treatments and facials"),
    promises=(
        "tailored after a proper consultation",
        "carried out by experienced, qualified professionals",
        "finished with premium products chosen for your skin and hair",
        "delivered in a calm space where you can switch off",
    ),
    image_subjects=(
        "a stylish, calm salon interior with soft natural light",
        "a stylist finishing a client's hair in a mirror",
        "spa treatment products arranged with botanicals",
    ),
    image_scene="studio",
    conversion_goal="Book an appointment online",
    cta_primary=("Book now", "Book an appointment", "Book your treatment"),
    cta_secondary=("View treatments", "See prices", "Meet the team"),
    emotional_tone="Calm, indulgent and confidence-boosting",
    extra_sections=("gallery", "pricing"),
    variants=(
        Variant(("spa", "massage", "wellness"), "DaySpa", "spa"),
        Variant(("hair", "hairdresser", "hair salon"), "HairSalon", "hair salon"),
        Variant(("barber", "barbershop"), "HairSalon", "barbershop"),
        Variant(("nails", "nail salon"), "NailSalon", "nail salon"),
    ),
)

ACCOUNTING = IndustryProfile(
    key="accounting",
    label="accountancy firm",
    keywords=(
        "accounting",
        "accountant",
        "accountancy",
        "bookkeeping",
        "bookkeeper",
        "tax",
        "payroll",
        "finance",
        "financial",
        "financial advisor",
        "financial adviser",
        "wealth management",
        "cpa",
        "audit",
    ),
    personality=("precise", "trustworthy", "approachable", "proactive", "clear"),
    visual_keywords=("organised desks", "calm offices", "clear charts", "natural light"),
    color_direction=(
        "Steady forest green with a slate blue secondary and a muted gold accent on white: "
        "prosperous, calm and dependable."
    ),
    palette=("#1d5b3a", "#3b5b7a", "#b8913a"),
    font_pairs=(("Merriweather", "Inter"), ("Lora", "Source Sans 3")),
    schema_type="AccountingService",
    trust_builders=(
        "Chartered, qualified accountants",
        "Fixed monthly fees",
        "Client reviews",
        "Deadlines never missed",
        "Secure cloud software",
    ),
    audience="small business owners, freelancers and families",
    customer="client",
    customers="clients",
    pain_points=(
        "Last-minute panics at tax deadlines",
        "Accountants who only get in touch once a year",
        "Surprise bills",
        "Not understanding their own numbers",
    ),
    goals=(
        "Stay compliant without the stress",
        "Pay no more tax than they need to",
        "Understand the numbers behind their business",
        "Have an adviser they can call",
    ),
    process=(
        ("Free consultation", "We learn about you, your business and what you need."),
        ("Fixed-fee proposal", "A clear monthly fee that covers what we agreed."),
        ("Easy onboarding", "We set up software and take over from your old accountant."),
        ("Ongoing support", "Regular check-ins and advice, not just year-end accounts."),
    ),
    faqs=(
        (
            "How much do your services cost?",
            "{name} works on fixed monthly fees agreed up front, so you know exactly what you "
            "will pay and can call us without watching the clock.",
        ),
        (
            "Can you take over from my current accountant?",
            "Yes. We handle the handover for you, including requesting records, so switching "
            "to {name} is painless.",
        ),
        (
            "Do you work with businesses outside {area}?",
            "Many {customers} are based {in_area}, but with secure cloud software we can support "
            "businesses wherever they are.",
        ),
        (
            "Which software do you use?",
            "We work with the leading cloud accounting tools and will recommend the simplest "
            "setup for you.",
        ),
        (
            "What is included?",
            "It depends on what you need: most {customers} combine {services}. We will put it "
            "all in writing.",
        ),
    ),
    testimonials=(
        "{name} took our books from chaos to clarity in a month. I finally understand my numbers.",
        "Fixed fee, fast replies and genuinely useful advice. Worth every penny.",
        "They spotted savings our last accountant missed and made tax season stress-free.",
        "As a freelancer I needed someone patient and clear. {name} is exactly that.",
    ),
    roles=("Small business owner", "Freelance designer", "Company director", "Retailer"),
    default_services=("Bookkeeping", "Tax returns", "Annual accounts and payroll"),
    promises=(
        "priced on a fixed monthly fee with no surprises",
        "handled by qualified accountants who answer the phone",
        "delivered on time, every deadline",
        "explained in plain language so you understand your numbers",
    ),
    image_subjects=(
        "an accountant and a business owner reviewing figures together",
        "a tidy desk with a laptop showing clear charts",
        "a calm, modern office with natural light",
    ),
    image_scene="city",
    conversion_goal="Book a free consultation",
    cta_primary=("Book a free consultation", "Get a quote", "Talk to an accountant"),
    cta_secondary=("Our services", "See our pricing", "Meet the team"),
    emotional_tone="Calm, competent and reassuring",
    extra_sections=("process", "team"),
    variants=(
        Variant(
            ("financial advisor", "financial adviser", "wealth management", "financial"),
            "FinancialService",
            "financial planning firm",
        ),
        Variant(("bookkeeping", "bookkeeper"), "AccountingService", "bookkeeping service"),
    ),
)

CREATIVE = IndustryProfile(
    key="creative",
    label="creative studio",
    keywords=(
        "photography",
        "photographer",
        "photo studio",
        "videography",
        "videographer",
        "film",
        "creative studio",
        "design studio",
        "graphic design",
        "designer",
        "illustration",
        "illustrator",
        "branding",
        "art",
        "artist",
        "music",
    ),
    personality=("creative", "thoughtful", "distinctive", "confident", "detail-obsessed"),
    visual_keywords=("striking imagery", "generous white space", "editorial layouts", "texture"),
    color_direction=(
        "Near-black charcoal and soft grey with one vivid coral accent on white, so the "
        "work itself provides the colour."
    ),
    palette=("#222222", "#5e5e5e", "#e4572e"),
    font_pairs=(("Playfair Display", "Inter"), ("DM Serif Display", "DM Sans")),
    schema_type="ProfessionalService",
    trust_builders=(
        "A strong portfolio of real projects",
        "Client testimonials",
        "A clear process and timeline",
        "Published work and awards",
        "Transparent packages",
    ),
    audience="couples, brands and growing businesses",
    customer="client",
    customers="clients",
    pain_points=(
        "Generic work that looks like everyone else's",
        "Unclear packages and pricing",
        "Missed deadlines",
        "Feeling awkward in front of a camera or in a brief",
    ),
    goals=(
        "Work with someone whose style they love",
        "Get results that tell their story",
        "Know what they will receive and when",
        "Enjoy the process",
    ),
    process=(
        ("Discovery call", "We talk about your ideas, audience and what success looks like."),
        ("Proposal", "A clear package, timeline and price."),
        ("Creation", "We shoot, design or make, sharing progress as we go."),
        ("Delivery", "Polished final work, ready to use everywhere you need it."),
    ),
    faqs=(
        (
            "How far ahead should I book?",
            "Popular dates fill quickly, so get in touch with {name} as early as you can. We "
            "will always tell you honestly what is possible.",
        ),
        (
            "What is included in a package?",
            "Each package spells out the time, deliverables and usage, whether you need "
            "{services}. Nothing is hidden.",
        ),
        (
            "Do you travel?",
            "We are based {in_area} and happily travel further for the right project. "
            "Travel costs are agreed up front.",
        ),
        (
            "How long until I receive the final work?",
            "Timelines depend on the project, and {name} agrees delivery dates with you before "
            "starting and shares previews along the way.",
        ),
        (
            "Can I see more of your work?",
            "Yes. Our portfolio shows a selection, and we are happy to share full galleries or "
            "case studies similar to your project.",
        ),
    ),
    testimonials=(
        "{name} captured our day perfectly. Every time we look at the photos we are right "
        "back there.",
        "They understood our brand instantly and delivered work that made us stand out.",
        "Relaxed, creative and incredibly talented. The results speak for themselves.",
        "On time, on budget and better than we imagined. We will be back for the next project.",
    ),
    roles=("Wedding client", "Brand manager", "Small business owner", "Creative director"),
    default_services=("Portrait sessions", "Brand and commercial work", "Event coverage"),
    promises=(
        "shaped around your story and style",
        "delivered with a clear timeline and package",
        "crafted with an eye for detail and light",
        "ready to use across web, print and social",
    ),
    image_subjects=(
        "a creative studio with lighting equipment and large prints",
        "a photographer framing a shot in beautiful natural light",
        "a moodboard of prints and colour swatches on a table",
        "a striking editorial portrait in soft light",
    ),
    image_scene="studio",
    conversion_goal="Enquire about availability",
    cta_primary=("Check availability", "Start your project", "Enquire now"),
    cta_secondary=("View the portfolio", "See packages", "About the studio"),
    emotional_tone="Inspired, personal and confident",
    extra_sections=("gallery", "process"),
    variants=(
        Variant(
            ("photography", "photographer", "photo studio"),
            "ProfessionalService",
            "photography studio",
        ),
        Variant(("videography", "videographer", "film"), "ProfessionalService", "film studio"),
        Variant(("graphic design", "designer", "branding"), "ProfessionalService", "design studio"),
    ),
)

CONSTRUCTION = IndustryProfile(
    key="construction",
    label="building company",
    keywords=(
        "construction",
        "builder",
        "builders",
        "building contractor",
        "contractor",
        "general contractor",
        "renovation",
        "remodeling",
        "remodelling",
        "extensions",
        "architecture",
        "architect",
        "architects",
        "interior design",
        "interior designer",
    ),
    personality=("solid", "capable", "precise", "honest", "ambitious"),
    visual_keywords=("finished spaces", "clean lines", "materials", "site progress", "daylight"),
    color_direction=(
        "Steel blue-grey with a warm timber secondary and a construction amber accent on "
        "white: solid, capable and modern."
    ),
    palette=("#2d3a45", "#8a5a35", "#e0a100"),
    font_pairs=(("Montserrat", "Source Sans 3"), ("Oswald", "Open Sans")),
    schema_type="HomeAndConstructionBusiness",
    trust_builders=(
        "A portfolio of completed projects",
        "Accreditations and insurance",
        "Fixed, itemised quotes",
        "Client reviews",
        "A dedicated project manager",
    ),
    audience="homeowners and developers planning a build",
    customer="client",
    customers="clients",
    pain_points=(
        "Projects that overrun on time and budget",
        "Poor communication on site",
        "Builders who disappear mid-job",
        "Uncertainty about planning and regulations",
    ),
    goals=(
        "Get the project finished on time and on budget",
        "Work with a team they can trust in their home",
        "Understand costs before committing",
        "End up with a space they love",
    ),
    process=(
        ("Site visit", "We meet you, see the space and talk through your plans."),
        ("Design and quote", "Drawings and an itemised, fixed quote."),
        ("Build", "A dedicated project manager keeps everything on schedule."),
        ("Handover", "A final walk-through and snagging, with our work guaranteed."),
    ),
    faqs=(
        (
            "Do you provide fixed quotes?",
            "Yes. {name} provides itemised, fixed quotes after a site visit, so you can see "
            "exactly where the money goes.",
        ),
        (
            "Can you help with planning permission?",
            "We can guide you through planning and building regulations and work with "
            "trusted designers where drawings are needed.",
        ),
        (
            "How long will my project take?",
            "Every project gets a written schedule before work starts, and your project "
            "manager updates you every week.",
        ),
        (
            "Which areas do you work in?",
            "We take on projects {in_area} and nearby. Tell us where you are and what you "
            "have in mind.",
        ),
        (
            "What kind of projects do you take on?",
            "Our work covers {services}. Take a look at recent projects for an idea of what "
            "{name} can do.",
        ),
    ),
    testimonials=(
        "{name} finished our extension on time and on budget. The quality of finish is superb.",
        "Communication was excellent throughout. We always knew what was happening and when.",
        "They turned a tired house into our dream home and treated it like their own.",
        "Professional, tidy and genuinely skilled. We have already recommended them twice.",
    ),
    roles=("Homeowner", "Property developer", "Business owner", "Homeowner"),
    default_services=("Extensions", "Renovations", "New builds"),
    promises=(
        "delivered on time and on budget",
        "priced with a fixed, itemised quote",
        "managed by a dedicated project manager",
        "finished to a standard we are proud to put our name to",
    ),
    image_subjects=(
        "a bright, newly finished open-plan extension",
        "builders working carefully on a tidy site",
        "architectural drawings and material samples on a table",
        "a modern home exterior with clean lines",
    ),
    image_scene="city",
    conversion_goal="Request a free quote",
    cta_primary=("Request a quote", "Book a site visit", "Start your project"),
    cta_secondary=("See our projects", "Our process", "Read reviews"),
    emotional_tone="Confident, solid and reassuring",
    extra_sections=("gallery", "process"),
    variants=(
        Variant(
            ("architecture", "architect", "architects"),
            "ProfessionalService",
            "architecture practice",
        ),
        Variant(
            ("interior design", "interior designer"),
            "ProfessionalService",
            "interior design studio",
        ),
        Variant(
            ("renovation", "remodeling", "remodelling"), "GeneralContractor", "renovation company"
        ),
    ),
)

CONSULTING = IndustryProfile(
    key="consulting",
    label="consultancy",
    keywords=(
        "consulting",
        "consultancy",
        "consultant",
        "agency",
        "marketing",
        "marketing agency",
        "digital agency",
        "advertising",
        "seo",
        "pr",
        "public relations",
        "strategy",
        "coaching",
        "coach",
        "recruitment",
        "business services",
    ),
    personality=("insightful", "confident", "results-driven", "collaborative", "clear"),
    visual_keywords=("workshops", "whiteboards", "modern offices", "focused teams"),
    color_direction=(
        "Bold violet with an electric blue secondary and a vivid pink accent on clean white: "
        "ambitious and memorable, yet professional."
    ),
    palette=("#3a0ca3", "#3452d6", "#d61f69"),
    font_pairs=(("Space Grotesk", "Inter"), ("Poppins", "Source Sans 3")),
    schema_type="ProfessionalService",
    trust_builders=(
        "Case studies with measurable results",
        "Client logos and testimonials",
        "Senior people on every project",
        "A clear engagement process",
        "Industry credentials",
    ),
    audience="founders, leadership teams and growing organisations",
    customer="client",
    customers="clients",
    pain_points=(
        "Advice that never turns into action",
        "Agencies that hand work to juniors",
        "Unclear return on investment",
        "Long engagements with vague deliverables",
    ),
    goals=(
        "Get measurable results",
        "Work with experienced people",
        "Have a clear plan and owner",
        "Build capability inside their own team",
    ),
    process=(
        ("Discovery", "We dig into your goals, numbers and constraints."),
        ("Strategy", "A focused plan with clear priorities and measures."),
        ("Delivery", "We do the work alongside your team."),
        ("Review", "Regular reporting on results, and what comes next."),
    ),
    faqs=(
        (
            "What kinds of clients do you work with?",
            "{name} works with {audience}. If you are unsure whether we are a fit, a short "
            "call will tell us both.",
        ),
        (
            "How do your engagements work?",
            "Every engagement starts with a discovery phase and a written plan, with clear "
            "deliverables and measures of success.",
        ),
        (
            "How do you price your work?",
            "We price by project or monthly retainer, agreed up front. No timesheet surprises.",
        ),
        (
            "Who will actually do the work?",
            "Senior people lead every project at {name}, and you will know exactly who is "
            "working on what.",
        ),
        (
            "How soon will we see results?",
            "We agree early milestones for {service} so you see progress within weeks, not "
            "quarters.",
        ),
    ),
    testimonials=(
        "{name} gave us a clear plan and then helped us deliver it. Results came faster "
        "than we expected.",
        "Senior, sharp and genuinely invested in our success. A real partner.",
        "They cut through the noise and focused on what actually moved our numbers.",
        "The best investment we made this year. Our team is more capable because of it.",
    ),
    roles=("Founder", "Managing director", "Marketing lead", "Chief operating officer"),
    default_services=("Strategy", "Implementation support", "Training and workshops"),
    promises=(
        "focused on measurable results",
        "led by senior people from first call to final report",
        "built around your goals, not a template",
        "delivered alongside your team so the gains last",
    ),
    image_subjects=(
        "a focused strategy workshop around a whiteboard",
        "a small team collaborating in a bright modern office",
        "a consultant presenting clear charts to a leadership team",
    ),
    image_scene="city",
    conversion_goal="Book a discovery call",
    cta_primary=("Book a discovery call", "Start a conversation", "Get in touch"),
    cta_secondary=("See our work", "How we work", "Our services"),
    emotional_tone="Confident, sharp and optimistic",
    extra_sections=("process", "team"),
    variants=(
        Variant(
            ("marketing", "marketing agency", "digital agency", "advertising", "seo"),
            "ProfessionalService",
            "marketing agency",
        ),
        Variant(("coaching", "coach"), "ProfessionalService", "coaching practice"),
        Variant(("recruitment",), "EmploymentAgency", "recruitment agency"),
    ),
)

PET_CARE = IndustryProfile(
    key="pet-care",
    label="veterinary practice",
    keywords=(
        "veterinary",
        "vet",
        "vets",
        "animal hospital",
        "pet",
        "pets",
        "pet care",
        "pet grooming",
        "dog grooming",
        "groomer",
        "dog walking",
        "dog walker",
        "kennel",
        "cattery",
        "pet sitting",
        "doggy daycare",
    ),
    personality=("caring", "gentle", "knowledgeable", "friendly", "trustworthy"),
    visual_keywords=("happy pets", "gentle hands", "bright clinic", "outdoor walks"),
    color_direction=(
        "Calm leaf green with a warm apricot secondary and a sage accent on soft white: "
        "caring, natural and cheerful."
    ),
    palette=("#2a7f62", "#d9823b", "#5b8e7d"),
    font_pairs=(("Nunito", "Open Sans"), ("Poppins", "Lato")),
    schema_type="VeterinaryCare",
    trust_builders=(
        "Qualified, experienced team",
        "Gentle, fear-free handling",
        "Reviews from pet owners",
        "Clear prices",
        "Emergency advice when you need it",
    ),
    audience="dog, cat and small-pet owners",
    customer="pet owner",
    customers="pet owners",
    pain_points=(
        "Stressful visits for nervous pets",
        "Unclear costs",
        "Hard-to-get appointments",
        "Not knowing who to call in an emergency",
    ),
    goals=(
        "Keep their pet healthy and happy",
        "Find people their pet is comfortable with",
        "Book care easily",
        "Know the cost before treatment",
    ),
    process=(
        ("Book a visit", "Online or by phone, with quick appointments for worried owners."),
        ("Gentle check", "We take time to settle your pet before we begin."),
        ("Clear advice", "We explain what we find and the options, with costs."),
        ("Ongoing care", "Reminders and follow-ups keep your pet on track."),
    ),
    faqs=(
        (
            "Are you taking new patients?",
            "Yes. {name} welcomes new pets and their owners; register online or give us a "
            "call and we will book a first visit.",
        ),
        (
            "My pet gets anxious. Can you help?",
            "We take things slowly, use gentle handling and allow extra time, so nervous "
            "animals feel as calm as possible.",
        ),
        (
            "What should I do in an emergency?",
            "Call {name} straight away. We will advise you on what to do and how quickly your "
            "pet needs to be seen.",
        ),
        (
            "How much do your services cost?",
            "Prices for {services} are clear and shared before any treatment, so there are no "
            "surprises.",
        ),
        (
            "Where are you based?",
            "We care for pets {in_area}. Get in touch for directions and parking details.",
        ),
    ),
    testimonials=(
        "Our dog used to shake at the vet. At {name} he trots straight in with his tail wagging.",
        "Kind, patient and clear about costs. They made a difficult time much easier.",
        "The whole team genuinely loves animals. Best pet care {in_area}.",
        "Quick appointment, careful check and great advice. Our cat is back to herself.",
    ),
    roles=("Dog owner", "Cat owner", "Rabbit owner", "Owner of two spaniels"),
    default_services=("Health checks and vaccinations", "Dental care", "Nurse clinics"),
    promises=(
        "delivered with gentle, patient handling",
        "provided by a qualified team who love animals",
        "priced clearly and explained before treatment",
        "planned around your pet's age, breed and lifestyle",
    ),
    image_subjects=(
        "a happy dog being gently examined by a smiling vet",
        "a calm cat resting in a bright, clean clinic",
        "a dog and owner on a sunny walk in a park",
    ),
    image_scene="nature",
    conversion_goal="Book an appointment",
    cta_primary=("Book an appointment", "Register your pet", "Book a visit"),
    cta_secondary=("Our services", "Emergency advice", "Meet the team"),
    emotional_tone="Caring, gentle and cheerful",
    extra_sections=("team", "gallery"),
    variants=(
        Variant(("pet grooming", "dog grooming", "groomer"), "LocalBusiness", "pet grooming salon"),
        Variant(("dog walking", "dog walker", "pet sitting"), "LocalBusiness", "pet care service"),
        Variant(("kennel", "cattery", "doggy daycare"), "LocalBusiness", "pet boarding service"),
    ),
)

EDUCATION = IndustryProfile(
    key="education",
    label="tutoring service",
    keywords=(
        "education",
        "tutoring",
        "tutor",
        "tuition",
        "school",
        "academy",
        "nursery",
        "preschool",
        "daycare",
        "childcare",
        "language school",
        "driving school",
        "music lessons",
        "courses",
        "training",
        "learning",
    ),
    personality=("encouraging", "knowledgeable", "patient", "friendly", "trustworthy"),
    visual_keywords=("bright classrooms", "focused learners", "books and notebooks", "progress"),
    color_direction=(
        "Deep teal with a fresh green secondary and a sunny yellow accent on white: "
        "optimistic, calm and focused."
    ),
    palette=("#264653", "#2a8d80", "#e9c46a"),
    font_pairs=(("Nunito", "Source Sans 3"), ("Merriweather", "Open Sans")),
    schema_type="EducationalOrganization",
    trust_builders=(
        "Qualified, vetted tutors",
        "Measurable progress and results",
        "Reviews from parents and students",
        "A free first session",
        "Small groups or one-to-one",
    ),
    audience="students, parents and adult learners",
    customer="student",
    customers="students",
    pain_points=(
        "Falling behind and losing confidence",
        "Exam stress",
        "One-size-fits-all teaching",
        "Not knowing whether lessons are working",
    ),
    goals=(
        "Build confidence and improve results",
        "Prepare well for exams",
        "Learn at the right pace",
        "See clear progress",
    ),
    process=(
        ("Free consultation", "We talk about goals, level and what has not worked so far."),
        ("Matched with a tutor", "We pair you with the right tutor and format."),
        ("Tailored sessions", "Lessons built around the student, not a fixed syllabus."),
        ("Track progress", "Regular updates so everyone can see the improvement."),
    ),
    faqs=(
        (
            "How do you match students with tutors?",
            "{name} considers the subject, level, goals and personality, so each student works "
            "with someone they click with.",
        ),
        (
            "Do you offer online and in-person sessions?",
            "We offer sessions {in_area} and online, so learning fits around school, work and "
            "family life.",
        ),
        (
            "How will we know it is working?",
            "We set goals at the start and share regular progress updates, so students and "
            "parents can see the difference.",
        ),
        (
            "Is there a free trial lesson?",
            "Yes. The first session with {name} is a chance to meet, assess the starting point "
            "and make a plan.",
        ),
        (
            "Which subjects and courses do you offer?",
            "Our main offer covers {services}. Ask us about anything not listed.",
        ),
    ),
    testimonials=(
        "My daughter's confidence has soared since starting with {name}. Her grades followed.",
        "Patient, encouraging and really clear. I finally understand the subject.",
        "The progress updates are brilliant. We always know what they are working on.",
        "Went from dreading exams to feeling prepared. Thank you, {name}.",
    ),
    roles=("Parent of a Year 11 student", "Adult learner", "University applicant", "Parent"),
    default_services=("One-to-one tutoring", "Exam preparation", "Small group classes"),
    promises=(
        "tailored to each learner's level and goals",
        "taught by qualified, encouraging tutors",
        "measured so you can see progress week by week",
        "available online and in person",
    ),
    image_subjects=(
        "a tutor and student working together at a bright table",
        "a focused small group class in a light classroom",
        "open notebooks and books on a desk in soft light",
    ),
    image_scene="studio",
    conversion_goal="Book a free first lesson",
    cta_primary=("Book a free lesson", "Book a consultation", "Enrol now"),
    cta_secondary=("See subjects", "How it works", "Meet our tutors"),
    emotional_tone="Encouraging, calm and optimistic",
    extra_sections=("process", "team", "pricing"),
    variants=(
        Variant(("nursery", "preschool", "daycare", "childcare"), "ChildCare", "nursery"),
        Variant(("school", "academy"), "EducationalOrganization", "school"),
        Variant(("driving school",), "DrivingSchool", "driving school"),
        Variant(("language school",), "EducationalOrganization", "language school"),
    ),
)

LANDSCAPING = IndustryProfile(
    key="landscaping",
    label="landscaping company",
    keywords=(
        "landscaping",
        "landscaper",
        "landscape",
        "garden",
        "gardener",
        "gardening",
        "garden design",
        "lawn",
        "lawn care",
        "tree surgeon",
        "arborist",
        "fencing",
        "paving",
    ),
    personality=("natural", "dependable", "craft-proud", "friendly", "thoughtful"),
    visual_keywords=("lush planting", "stone and timber", "dappled sunlight", "outdoor living"),
    color_direction=(
        "Leaf green with an earthy soil-brown secondary and a fresh lime accent on soft "
        "white: natural, grounded and fresh."
    ),
    palette=("#3a6b35", "#7a5c3e", "#9cbf3b"),
    font_pairs=(("Lora", "Open Sans"), ("Merriweather", "Lato")),
    schema_type="HomeAndConstructionBusiness",
    trust_builders=(
        "Before-and-after photos",
        "Fully insured team",
        "Free design consultations",
        "Customer reviews",
        "Plants and materials guaranteed",
    ),
    audience="homeowners, landlords and commercial property managers",
    customer="customer",
    customers="customers",
    pain_points=(
        "Gardens that are hard work to maintain",
        "Contractors who do not show up",
        "Designs that do not suit the space or soil",
        "Unclear quotes",
    ),
    goals=(
        "Enjoy an outdoor space they are proud of",
        "Spend less time on upkeep",
        "Know the cost up front",
        "Work with a team that cares",
    ),
    process=(
        ("Garden visit", "We walk the space with you and talk through ideas."),
        ("Design and quote", "A plan that suits your garden, with a clear price."),
        ("Build and plant", "Our team transforms the space with minimal disruption."),
        ("Aftercare", "Maintenance plans to keep it looking its best."),
    ),
    faqs=(
        (
            "Do you offer free quotes?",
            "Yes. {name} visits, listens to your ideas and provides a clear, written quote "
            "with no obligation.",
        ),
        (
            "Which areas do you cover?",
            "We work on gardens {in_area} and the surrounding areas. Ask us if you are unsure.",
        ),
        (
            "Can you maintain the garden after the work is done?",
            "Yes. Many {customers} choose a regular maintenance visit to keep their garden at "
            "its best all year.",
        ),
        (
            "When is the best time to start a garden project?",
            "Much of our work can happen year-round. Planting is best in spring and autumn, "
            "so planning ahead helps.",
        ),
        (
            "What services do you offer?",
            "We offer {services}, from small refreshes to complete transformations.",
        ),
    ),
    testimonials=(
        "{name} turned our overgrown plot into a garden we actually use every evening.",
        "Reliable, tidy and full of great ideas. The planting is thriving.",
        "Clear quote, on-time team and a beautiful result. Highly recommended {in_area}.",
        "Their maintenance visits keep everything immaculate. Worth every penny.",
    ),
    roles=("Homeowner", "Property manager", "Landlord", "Keen gardener"),
    default_services=("Garden design", "Landscaping and patios", "Garden maintenance"),
    promises=(
        "designed to suit your space, soil and lifestyle",
        "built by a skilled, fully insured team",
        "priced clearly with a written quote",
        "looked after season by season",
    ),
    image_subjects=(
        "a lush, well-designed garden with a stone patio in dappled sunlight",
        "a landscaper planting a colourful border",
        "a neat lawn and timber seating area at golden hour",
    ),
    image_scene="nature",
    conversion_goal="Request a free garden quote",
    cta_primary=("Get a free quote", "Book a garden visit", "Request a quote"),
    cta_secondary=("See our gardens", "Our services", "Read reviews"),
    emotional_tone="Fresh, calm and proud",
    extra_sections=("gallery", "process"),
    variants=(
        Variant(
            ("tree surgeon", "arborist"), "HomeAndConstructionBusiness", "tree surgery company"
        ),
    ),
)

AUTO = IndustryProfile(
    key="auto",
    label="garage",
    keywords=(
        "auto repair",
        "auto",
        "automotive",
        "mechanic",
        "garage",
        "car repair",
        "car service",
        "mot",
        "body shop",
        "tyres",
        "tires",
        "car wash",
        "detailing",
    ),
    personality=("honest", "reliable", "skilled", "straight-talking", "fast"),
    visual_keywords=("clean workshop", "gleaming cars", "precision tools", "bright floodlight"),
    color_direction=(
        "Confident red with a gunmetal secondary and a signal yellow accent on white: strong, "
        "honest and easy to spot."
    ),
    palette=("#b22222", "#2f3e46", "#e6b800"),
    font_pairs=(("Oswald", "Open Sans"), ("Montserrat", "Lato")),
    schema_type="AutoRepair",
    trust_builders=(
        "Qualified technicians",
        "Fixed prices agreed before work",
        "Warranty on parts and labour",
        "Customer reviews",
        "Photos of any faults found",
    ),
    audience="drivers and local businesses",
    customer="customer",
    customers="customers",
    pain_points=(
        "Being upsold work they do not need",
        "Bills bigger than the quote",
        "Being without a car for days",
        "Not understanding what is wrong",
    ),
    goals=(
        "Get the car fixed right, first time",
        "Know the price before work starts",
        "Get back on the road quickly",
        "Trust the advice they are given",
    ),
    process=(
        ("Book in", "Online or by phone, with a time that suits you."),
        ("Check and quote", "We inspect the vehicle and call with a clear price."),
        ("Repair", "Only the work you approve, done by qualified technicians."),
        ("Back on the road", "We explain what we did and hand back your keys."),
    ),
    faqs=(
        (
            "Will you tell me the price before starting work?",
            "Always. {name} calls you with a clear quote and only carries out the work you "
            "approve.",
        ),
        (
            "How long will my car be in?",
            "Most services and repairs are done the same day. We will give you an honest "
            "timeframe when you book.",
        ),
        (
            "Do you offer a warranty?",
            "Yes. Our parts and labour are covered by a warranty, so you can drive away with "
            "confidence.",
        ),
        (
            "Which vehicles do you work on?",
            "We work on most makes and models, and our team is equipped for {services}.",
        ),
        (
            "Where are you?",
            "We are based {in_area}. Drop your car in and we will keep you updated throughout.",
        ),
    ),
    testimonials=(
        "Honest advice and a fair price. {name} is the only garage I trust with my car.",
        "They found the fault quickly, sent me a photo and fixed it the same day.",
        "No upselling, no surprises. Just good, reliable work.",
        "Great service for our company vans. Fast turnaround keeps us on the road.",
    ),
    roles=("Driver", "Family car owner", "Fleet manager", "Local driver"),
    default_services=("Servicing", "Repairs and diagnostics", "Tyres and brakes"),
    promises=(
        "priced up front before we start",
        "carried out by qualified technicians",
        "usually done the same day",
        "covered by our parts and labour warranty",
    ),
    image_subjects=(
        "a clean, well-lit workshop with a car on a lift",
        "a technician explaining a repair to a customer",
        "a gleaming car leaving the garage",
    ),
    image_scene="city",
    conversion_goal="Book a service or repair",
    cta_primary=("Book a service", "Get a quote", "Book your car in"),
    cta_secondary=("Our services", "Call the garage", "Read reviews"),
    emotional_tone="Honest, reassuring and efficient",
    extra_sections=("process",),
    variants=(
        Variant(("car wash", "detailing"), "AutoWash", "car detailing service"),
        Variant(("body shop",), "AutoBodyShop", "body shop"),
    ),
)

NONPROFIT = IndustryProfile(
    key="nonprofit",
    label="charity",
    keywords=(
        "nonprofit",
        "non-profit",
        "not-for-profit",
        "charity",
        "charitable",
        "foundation",
        "ngo",
        "community group",
        "community interest company",
        "volunteer",
        "social enterprise",
    ),
    personality=("hopeful", "compassionate", "transparent", "community-minded", "determined"),
    visual_keywords=("real people", "community", "hands working together", "warm daylight"),
    color_direction=(
        "Hopeful teal with a warm amber secondary and a rose accent on white: human, "
        "optimistic and trustworthy."
    ),
    palette=("#0f766e", "#c27a0e", "#d8345f"),
    font_pairs=(("Merriweather", "Open Sans"), ("Lora", "Nunito")),
    schema_type="NGO",
    trust_builders=(
        "Registered charity details",
        "Clear reporting on impact",
        "Stories from people helped",
        "Where donations go",
        "Partner organisations",
    ),
    audience="supporters, volunteers and partners",
    customer="supporter",
    customers="supporters",
    pain_points=(
        "Not knowing where donations go",
        "Feeling that one person cannot make a difference",
        "Unclear ways to get involved",
        "Hard-to-find help",
    ),
    goals=(
        "See the impact of their support",
        "Find a meaningful way to help",
        "Get support when they need it",
        "Join a community that cares",
    ),
    process=(
        ("Learn about our work", "See who we help and how."),
        ("Choose how to help", "Donate, volunteer, fundraise or partner with us."),
        ("Make a difference", "Your support goes straight into our programmes."),
        ("See the impact", "We report back on what your support achieved."),
    ),
    faqs=(
        (
            "Where does my donation go?",
            "Donations to {name} fund our programmes {in_area}, and we publish clear reports "
            "on how every pound is spent.",
        ),
        (
            "How can I volunteer?",
            "Get in touch and tell us what you enjoy and when you are free. There is a role "
            "for every skill and schedule.",
        ),
        (
            "How do I get support?",
            "Contact {name} in confidence. We will listen and explain how we can help or point "
            "you to someone who can.",
        ),
        (
            "Can my company partner with you?",
            "Yes. We work with businesses on fundraising, volunteering days and partnerships "
            "that make a real difference.",
        ),
        (
            "What do you do?",
            "Our work focuses on {services}, alongside the people and partners who make it "
            "possible.",
        ),
    ),
    testimonials=(
        "{name} was there when we needed it most. I do not know what we would have done "
        "without them.",
        "Volunteering here is the best part of my week. You can see the difference it makes.",
        "Transparent, effective and full of heart. Proud to support their work.",
        "Our company has partnered with {name} for years. The impact is real and visible.",
    ),
    roles=("Volunteer", "Monthly donor", "Community member", "Corporate partner"),
    default_services=("Community programmes", "Volunteering", "Fundraising and events"),
    promises=(
        "funded by supporters and delivered by people who care",
        "shaped by the community it serves",
        "reported on openly so you can see the impact",
        "open to anyone who wants to help",
    ),
    image_subjects=(
        "volunteers working together at a community event",
        "smiling people sharing a meal in a community hall",
        "hands planting a tree together in a park",
    ),
    image_scene="nature",
    conversion_goal="Donate or get involved",
    cta_primary=("Donate now", "Get involved", "Support our work"),
    cta_secondary=("Volunteer with us", "See our impact", "Get support"),
    emotional_tone="Hopeful, compassionate and determined",
    extra_sections=("process", "gallery"),
)

GENERIC = IndustryProfile(
    key="generic",
    label="local business",
    keywords=(),
    personality=("friendly", "reliable", "professional", "approachable"),
    visual_keywords=("real people", "natural light", "clean layouts", "welcoming spaces"),
    color_direction=(
        "Confident blue with a deep slate secondary and a warm amber accent on white: "
        "trustworthy, clear and friendly."
    ),
    palette=("#2563eb", "#334155", "#f59e0b"),
    font_pairs=(("Poppins", "Open Sans"), ("Montserrat", "Source Sans 3")),
    schema_type="LocalBusiness",
    trust_builders=(
        "Customer reviews",
        "Clear prices",
        "Experienced team",
        "Fast, friendly replies",
        "A satisfaction promise",
    ),
    audience="local customers",
    customer="customer",
    customers="customers",
    pain_points=(
        "Businesses that are hard to reach",
        "Unclear prices",
        "Inconsistent quality",
        "Wasted time comparing options",
    ),
    goals=(
        "Find a trustworthy business quickly",
        "Know what they will get and what it costs",
        "Get friendly, reliable service",
        "Come back with confidence",
    ),
    process=(
        ("Get in touch", "Call, email or send a message."),
        ("Tell us what you need", "We listen and recommend the right option."),
        ("We get to work", "Friendly, reliable service from start to finish."),
        ("Happy to help again", "We follow up to make sure everything is right."),
    ),
    faqs=(
        (
            "How do I get started?",
            "Get in touch with {name} by phone or email and tell us what you need. We will "
            "reply quickly with the next steps.",
        ),
        (
            "What do you offer?",
            "{name} offers {services}. If you need something not listed, just ask.",
        ),
        (
            "Where are you based?",
            "We are based {in_area} and serve {customers} nearby.",
        ),
        (
            "How much do your services cost?",
            "Prices depend on what you need, and we always confirm them before we begin.",
        ),
        (
            "How quickly can you help?",
            "We reply to enquiries promptly and will give you an honest timeframe.",
        ),
    ),
    testimonials=(
        "{name} was friendly, quick and exactly what we needed. Highly recommended.",
        "Great service from start to finish. We will definitely be back.",
        "Clear prices, reliable work and lovely people to deal with.",
        "The best {label} we have found. They really care about their customers.",
    ),
    roles=("Customer", "Local resident", "Small business owner", "Repeat customer"),
    default_services=("Consultations", "Core services", "Ongoing support"),
    promises=(
        "delivered with care and attention to detail",
        "priced clearly and agreed up front",
        "provided by a friendly, experienced team",
        "tailored to what you actually need",
    ),
    image_subjects=(
        "a welcoming, bright shopfront with friendly staff",
        "a team member helping a customer with a smile",
        "a clean, modern workspace in natural light",
    ),
    image_scene="city",
    conversion_goal="Get in touch",
    cta_primary=("Get in touch", "Contact us", "Request a quote"),
    cta_secondary=("Our services", "About us", "Read reviews"),
    emotional_tone="Friendly, clear and reassuring",
    extra_sections=("process",),
)

PROFILES: tuple[IndustryProfile, ...] = (
    BAKERY,
    RESTAURANT,
    LAW,
    DENTAL,
    MEDICAL,
    FITNESS,
    HOME_SERVICES,
    SOFTWARE,
    REAL_ESTATE,
    BEAUTY,
    ACCOUNTING,
    CREATIVE,
    CONSTRUCTION,
    CONSULTING,
    PET_CARE,
    EDUCATION,
    LANDSCAPING,
    AUTO,
    NONPROFIT,
)


def _pattern(keyword: str) -> re.Pattern[str]:
    # Whole words with an optional plural, so "law" never matches "lawn" and "art" not "startup".
    word = re.escape(keyword)
    if keyword.endswith("y"):
        word = rf"(?:{word}|{re.escape(keyword[:-1])}ies)"
    return re.compile(rf"(?<!\w){word}(?:s|es)?(?!\w)", re.IGNORECASE)


# Words that name a setting more than a trade ("clinic", "studio"), so they only decide a
# match when nothing more specific is in the text: "pet-friendly cafe" is a café.
WEAK = frozenset(
    (
        "clinic", "health", "healthcare", "medical", "app", "data", "platform", "tech",
        "technology", "training", "learning", "courses", "agency", "art", "film", "music",
        "strategy", "finance", "financial", "property", "properties", "garden", "landscape",
        "pet", "pets", "school", "therapy", "wellness", "kitchen", "bar", "spin", "cake",
        "coffee", "tax", "audit", "pr", "ai",
    )
)  # fmt: skip


def _best_keyword(text: str, keywords: tuple[str, ...]) -> tuple[int, int, int, str] | None:
    """The strongest keyword found: specific over weak, earliest, then longest."""
    best: tuple[int, int, int, str] | None = None
    for keyword in keywords:
        match = _pattern(keyword).search(text)
        if match:
            score = (int(keyword not in WEAK), -match.start(), len(keyword), keyword)
            best = score if best is None or score > best else best
    return best


def _match(text: str) -> tuple[IndustryProfile, tuple[int, int, int, str]] | None:
    # The trade named first wins: "Software for bookkeeping" is software, and
    # "veterinary clinic" is a vet rather than a medical clinic.
    best: tuple[IndustryProfile, tuple[int, int, int, str]] | None = None
    for profile in PROFILES:
        score = _best_keyword(text, profile.keywords)
        if score and (best is None or score[:3] > best[1][:3]):
            best = (profile, score)
    return best


def _narrow(
    profile: IndustryProfile, text: str, score: tuple[int, int, int, str]
) -> IndustryProfile:
    """Apply a variant the text names at least as strongly (an electrician, a café)."""
    best: tuple[tuple[int, int, int, str], Variant] | None = None
    for variant in profile.variants:
        found = _best_keyword(text, variant.keywords)
        if found and found[:3] >= score[:3] and (best is None or found > best[0]):
            best = (found, variant)
    if best is None:
        return profile
    return replace(profile, schema_type=best[1].schema_type, label=best[1].label)


_TRADE_NOUNS = ("business", "company", "shop", "store", "studio", "agency", "service", "services")


def _generic(industry: str) -> IndustryProfile:
    """The generic profile, named after the client's own industry words ("pottery studio")."""
    trade = " ".join(industry.split()).strip(" .")
    if not trade:
        return GENERIC
    lowered = trade[:1].lower() + trade[1:] if trade[1:2].islower() else trade
    label = lowered if lowered.lower().endswith(_TRADE_NOUNS) else f"{lowered} business"
    services = (trade[:1].upper() + trade[1:], "Advice and consultations", "Ongoing support")
    return replace(GENERIC, label=label, default_services=services)


def profile_for(config: ProjectConfig) -> IndustryProfile:
    """The profile whose keywords match the industry, else the description, else the generic."""
    for text in (config.industry, config.description):
        found = _match(text)
        if found is not None:
            return _narrow(found[0], text, found[1])
    return _generic(config.industry)
