"""Vocabulary tables: words that belong to one kind of business, and the evidence that fits it.

A term is foreign on a site unless the config's account of the business (industry, services,
offers, description, notes, goals: `Facts.about_text`) contains one of its set's evidence
words, one of the term's own extra evidence words, or the term itself. E-mails, URLs, phone
numbers, addresses and people's names are never evidence: every example config's address is
at "example", and "1 Church Street" says nothing about funerals.

Evidence words match whole words, with plurals; a trailing "*" makes the word a prefix
("plumb*" finds plumber, plumbing). Prefixes are kept long enough not to start ordinary
words: "exam*" found "example", "run*" found "family-run" and "account*" found "wholesale
accounts", so those are spelled out whole. Terms with two or more capitals ("HIIT", "MOT")
match case-sensitively; other terms also match their plurals.

Terms are calls to action and offers that no business of another trade says in passing;
generic ones ("book an appointment", "free quote", "sign up") are left out on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def words_list(text: str) -> tuple[str, ...]:
    """A comma-separated literal as a tuple: "free trial, SaaS" -> ("free trial", "SaaS")."""
    return tuple(w.strip() for w in text.split(",") if w.strip())


@dataclass(frozen=True)
class TermSet:
    """Words of one trade, and what in a config shows that trade fits the business."""

    label: str
    evidence: tuple[str, ...]
    terms: tuple[str, ...]
    # term -> further evidence that makes just this term fit ("free trial" fits a gym).
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _set(label: str, evidence: str, terms: str, **also: tuple[str, ...]) -> TermSet:
    """A TermSet from comma-separated literals; `also` keys spell spaces as "_"."""
    extra = {k.replace("_", " "): v for k, v in also.items()}
    return TermSet(label, words_list(evidence), words_list(terms), extra)


_CLASSES = words_list(
    "gym, fitness, yoga, pilates, class, lesson, tutor*, dance, dancing, martial arts, boxing, "
    "climbing, swimming, coach, coaching, studio, club, course, sport*, training, school, "
    "academy, choir, workshop, membership"
)
_SUBSCRIPTIONS = words_list(
    "subscription*, subscription box, magazine, membership, meal kit*, wine club, coffee club, "
    "veg box, vegetable box"
)
_TREATMENTS = words_list(
    "salon, spa, beauty, treatment, massage, nails, barber*, hair, wellness, facial, "
    "aesthetic*, clinic, grooming, tattoo*"
)
_SPORT = words_list(
    "sport*, club, rowing, football, athletic*, running, runner, swimming, climbing, dance, "
    "dancing, martial arts, rugby, cricket, tennis, cycling, triathlon*"
)
_CARE = words_list("care home, respite, hospice, residential care, nursing home, retreat")
# Places that serve meals without being food businesses: a care home or a school has a menu.
_MEALS = words_list("school, nursery, childminder, childcare, canteen, cookery, cooking")
_PETS = words_list("vet, veterinar*, pet, animal, dog, cat, kennel*, cattery, equine")

TRADES: dict[str, TermSet] = {
    "software": _set(
        "software/SaaS",
        "software, saas, app, platform, cloud, api, developer, startup, start-up, "
        "subscription software, dashboard, analytics, automation, b2b, crm, plugin, devops, "
        "fintech, edtech, tech, technology, IT",
        "free trial, start your trial, 14-day trial, 30-day trial, pricing plans, pricing "
        "tiers, per seat, per user per month, SaaS, no credit card required, upgrade your plan, "
        "book a demo, request a demo, product tour, changelog, SDK, API, "
        "integrations, uptime, download the app, app store, workspace, sign up free, sign up "
        "for free, create a free account, create your account, start for free, get started "
        "for free, dashboard, user seats, enterprise plan, first month free, plan that scales, "
        "scales with your team, as your team grows, schedule a demo, watch a demo, live demo, "
        "free demo, see a demo, talk to sales, annual billing, billed annually, billed monthly, "
        "single sign-on, SSO, admin console, self-serve, SLA, cloud-based, real-time sync, "
        "browser extension, two-factor authentication, log in to your account, try it free, "
        "free account, cancel anytime, cancel any time, monthly subscription",
        free_trial=_CLASSES + _SUBSCRIPTIONS,
        pricing_plans=_CLASSES + _SUBSCRIPTIONS,
        try_it_free=_CLASSES + _SUBSCRIPTIONS,
        free_account=_SUBSCRIPTIONS,
        cancel_anytime=_CLASSES + _SUBSCRIPTIONS,
        cancel_any_time=_CLASSES + _SUBSCRIPTIONS,
        monthly_subscription=_CLASSES + _SUBSCRIPTIONS,
        dashboard=words_list("car, auto*, vehicle, garage, motor*"),
        workspace=words_list("cowork*, co-work*, office, desk, studio, space"),
    ),
    "food": _set(
        "food and drink",
        "restaurant, cafe, café, coffee, bakery, bakeries, bistro, food, takeaway, kitchen, "
        "catering, caterer, pub, bar, deli, delicatessen, tearoom, tea room, pizz*, chef, "
        "dining, eatery, brasserie, diner, hotel, inn, street food, ice cream, gelato, dessert, "
        "juice bar, brewery, brewpub, winery, canteen, lunch, meals, cuisine, snack bar, "
        "b&b, bed and breakfast, cookery, cooking school",
        "view the menu, see the menu, our menu, full menu, lunch menu, dinner menu, drinks "
        "menu, breakfast menu, brunch menu, kids' menu, daily specials, chef's specials",
        view_the_menu=_TREATMENTS + _CARE + _MEALS,
        see_the_menu=_TREATMENTS + _CARE + _MEALS,
        our_menu=_TREATMENTS + _CARE + _MEALS,
        full_menu=_TREATMENTS + _CARE + _MEALS,
        lunch_menu=_CARE + _MEALS,
    ),
    "restaurant": _set(
        "restaurant",
        "restaurant, bistro, brasserie, dining, diner, eatery, gastropub, pub, bar, tavern, "
        "trattoria, pizzeria, steakhouse, tapas, sushi, hotel, inn, wine bar, supper club, "
        "fine dining, grill",
        "book a table, reserve a table, reserve your table, table reservation, table for two, "
        "tasting menu, à la carte, a la carte, wine list, wine pairing, set menu, starters and "
        "mains, happy hour, dine in, dine-in, sommelier, bottomless brunch, corkage, "
        "booking a table, table booking, chef's table, three-course dinner, dessert menu, "
        "private dining, wine by the glass, small plates, sharing plates, make a reservation, "
        "dinner reservation, reservations for dinner, reserve a spot for dinner",
    ),
    "retail": _set(
        "retail/e-commerce",
        "shop, shopping, store, retail*, ecommerce, e-commerce, online shop, online store, "
        "fashion boutique, clothing boutique, gift boutique, webshop, merchandise, gift shop, "
        "florist, jewell*, jewel*, clothing, "
        "fashion, apparel, bookshop, bookstore, homeware*, pharmacy, pharmacies, garden centre, "
        "grocer*, supermarket, marketplace, mail order, brand, products, sell online",
        "add to cart, add to basket, add to bag, shopping cart, shopping basket, your basket, "
        "your cart, checkout, proceed to checkout, free shipping, free delivery on orders over, "
        "shop now, shop the collection, new arrivals, in stock, out of stock, back in stock, "
        "promo code, discount code, SKU, buy now, free returns, wishlist, size guide, "
        "easy returns, free delivery on all orders, orders over, track your order, "
        "order tracking, sale ends, add to wishlist, secure checkout, "
        "in-store pickup, same-day dispatch, next-day delivery, returns policy",
    ),
    "medical": _set(
        "medical/dental",
        "medical, medicine, clinic, health, healthcare, doctor, GP, nurse, nursing, dental, "
        "dentist*, orthodont*, hospital, physio*, therapy, therapist, chiropract*, osteopath*, "
        "pharmac*, optician, optometr*, audiolog*, podiat*, chiropod*, psycholog*, psychiatr*, "
        "counselling, counsellor, dermatolog*, surgery, surgeon, patient, hospice, care home, "
        "palliative, dementia, vet, veterinar*, midwi*, acupunct*, aesthetic*, NHS, home care, "
        "carer, medication",
        "new patients welcome, NHS patients, prescription, repeat prescription, medication "
        "review, medical history, clinical assessment, dental check-up, check-up and clean, "
        "hygienist, teeth whitening, root canal, dentures, Invisalign, GP appointment, GP "
        "referral, diagnosis, your symptoms, hygienist, fillings and crowns, dental crowns, "
        "crowns and bridges, gum disease, healthy gums, dental implants, scale and polish, "
        "orthodontic treatment, X-ray, blood test, health check, vaccination clinic, "
        "flu jab, physiotherapy session, sports massage, private GP, cosmetic dentistry, "
        "wisdom teeth, whitening, patients, GP, clinic appointment",
    ),
    "legal": _set(
        "legal",
        "law, legal, lawyer, solicitor*, attorney*, barrister*, notar*, conveyanc*, probate, "
        "paralegal*, litigat*, advocate, chambers, immigration, will writing, wills, "
        "employment law, family law, mediation, mediator",
        "litigation, legal advice, legal aid, our solicitors, our lawyers, our attorneys, "
        "attorney-client, case evaluation, free case review, court representation, "
        "conveyancing, power of attorney, probate, no win no fee, personal injury claim, "
        "lasting power of attorney, our legal team, legal fees, solicitors' fees, "
        "claim compensation, divorce proceedings, custody dispute, court case, tribunal claim, "
        "legal representation, attorney fees, file a lawsuit, criminal defence, criminal defense",
        legal_advice=words_list("advice charity, citizens advice, advice centre, advice"),
        probate=words_list("funeral*, bereave*, hospice, estate planning"),
        power_of_attorney=_CARE + words_list("later life, funeral*"),
        lasting_power_of_attorney=_CARE + words_list("later life, funeral*"),
    ),
    "fitness": _set(
        "fitness",
        "gym, fitness, personal trainer, personal training, crossfit, bootcamp, yoga, pilates, "
        "boxing, martial arts, spin studio, strength, athlet*, leisure centre, swimming pool, "
        "physio*, sports therapy",
        "HIIT, personal training, PT session, gym membership, gym, workout, cardio, strength and "
        "conditioning, bootcamp, spin class, body transformation, fat loss, weight loss "
        "programme, free day pass, gym floor, burpees, kettlebell, personal trainer, "
        "spin classes, boot camp, get toned, tone up, weights room, free weights, "
        "squat rack, treadmill, body fat, fitness goals, fitness classes, circuit training, "
        "gym session, crossfit, protein shake",
        workout=_SPORT,
        gym=words_list("school, college, universit*, hotel, leisure, club, sport*, climbing"),
        cardio=_SPORT,
        strength_and_conditioning=_SPORT,
        bootcamp=_SPORT,
    ),
    "education": _set(
        "education",
        "school, tutor*, tuition, education*, academy, academies, college, universit*, "
        "teacher, teaching, lesson, course, student, pupil, nursery, nurseries, preschool, "
        "childminder, childminding, childcare, training provider, exam board, exam preparation, "
        "gcse, "
        "a-level, revision, language school, driving school, music school, learning",
        "enrol, enroll, enrolment, enrollment, curriculum, term dates, GCSE, A-levels, "
        "homework, exam preparation, exam results, Ofsted, admissions, open evening, syllabus, "
        "coursework, semester, tuition fees, lesson plans, school term, autumn term, spring term, "
        "summer term, GCSEs, tutoring, students sit, exam technique, past papers, mock exams, "
        "key stage, SATs, UCAS, parents' evening, school uniform, degree programme, "
        "academic year, prospective students, new intake, school places",
        enrol=_CLASSES,
        enroll=_CLASSES,
        enrolment=_CLASSES,
        enrollment=_CLASSES,
    ),
    "beauty": _set(
        "beauty",
        "salon, beauty, beautician, spa, hair, hairdress*, hairstyl*, barber*, nail, lash, "
        "brow, skincare, skin care, aesthetic*, cosmetic*, makeup, make-up, massage, tanning, "
        "bridal, pamper*, waxing, manicur*",
        "manicure, pedicure, mani-pedi, blow-dry, blow dry, lash extensions, lash lift, brow "
        "lamination, facial, gel nails, acrylic nails, balayage, spray tan, waxing, "
        "microblading, hot stone massage, anti-ageing treatment, skin peel, Botox, dermal "
        "fillers, cut and colour, blow-dries, cut and blow-dry, hair stylist, hairstylist, "
        "highlights and lowlights, root touch-up, nail art, lash tint, "
        "brow tint, eyebrow threading, body wrap, facials, skin consultation, chemical peel, "
        "lip filler, anti-wrinkle, hair extensions, beard trim, hot towel shave",
    ),
    "lodging": _set(
        "hotel/lodging",
        "hotel, b&b, bed and breakfast, guest house, guesthouse, inn, hostel, accommodation, "
        "holiday let, holiday cottage, holiday home, holidays, lodge, resort, glamping, "
        "campsite, caravan, self-catering, villa, chalet, cabin, airbnb, serviced apartment, "
        "retreat, bedrooms, wedding venue, country house",
        "book your stay, en-suite, ensuite, guest rooms, early check-in, late checkout, "
        "check-in time, check-in from, nightly rate, per night, room service, double room, "
        "twin room, king-size bed, breakfast included, minimum stay, free cancellation, "
        "check-in is from, check-out by, checkout by, check-out is, private en-suite, "
        "en-suite bathroom, minibar, superior room, room rates, "
        "best rate guaranteed, self check-in, turndown service, concierge, en suite, "
        "stay with us, room upgrade",
        book_your_stay=_CARE,
        stay_with_us=_CARE,
        per_night=words_list("boat, narrowboat, camping, pitch, kennel*, cattery, pet"),
    ),
    "finance": _set(
        "finance/accounting",
        "accountancy, accountant, accounting, bookkeep*, tax, taxes, payroll, financial, "
        "finance, wealth, financial advis*, investment, bank, banking, mortgage, pension, "
        "insurance, fintech, ledger, invoic*, audit, auditor, VAT, HMRC, debt",
        "tax return, self-assessment, VAT return, year-end accounts, bookkeeping, payroll, "
        "HMRC, IRS, wealth management, investment portfolio, pension transfer, capital gains, "
        "corporation tax, management accounts, making tax digital, R&D tax credits, financial "
        "planning, tax bill, bookkeepers, accountants, file your taxes, tax season, "
        "tax-efficient, ISA, pension pot, retirement planning, investment advice, "
        "financial adviser, financial advisor, mortgage advice, annual accounts, "
        "company accounts, Companies House, payroll services, IR35, tax deductions, tax refund",
        mortgage_advice=words_list("estate agent*, estate agency, property, properties, lettings"),
    ),
    "trades": _set(
        "plumbing/building trades",
        "plumb*, heating, gas, boiler, electric*, builder, building, construction, roof*, "
        "handyman, handymen, maintenance, renovat*, locksmith, lock, drain*, hvac, air "
        "conditioning, joiner*, carpent*, decorat*, painter, glaz*, window, door, kitchen "
        "fitter, bathroom, install*, insulation, damp, solar, chimney, sweep, "
        "facilities management, property maintenance",
        "boiler, call-out fee, emergency call-out, rewire, rewiring, fuse box, consumer unit, "
        "blocked drain, drain unblocking, leaking tap, radiator, power flush, Gas Safe, combi "
        "boiler, damp proofing, underfloor heating, rewires, fuse board, electrical installation, "
        "EICR, plastering, re-roofing, roof repairs, guttering, loft conversion, "
        "building regulations, kitchen fitting, emergency plumber, burst pipe, gas engineer, "
        "electrician, plumber, heat pump",
    ),
    "funeral": _set(
        "funeral",
        "funeral*, bereave*, memorial, cremat*, burial, cemeter*, hospice, celebrant, grief, "
        "palliative, end of life, headstone, stonemason, undertaker",
        "bereavement, cremation, burial, deceased, chapel of rest, coffin, casket, embalming, "
        "funeral plan, funeral arrangements, condolences, our sympathies, in loving memory, "
        "repatriation of remains, funeral service, funeral director, hearse, eulogy, "
        "order of service, direct cremation, crematorium, pallbearers, laid to rest, "
        "loved one has died, when someone dies, death certificate, register a death",
        cremation=_PETS,
        bereavement=_CARE + words_list("counsel*, grief, charity, advice"),
        bereavement_support=_CARE,
    ),
    "real estate": _set(
        "real estate",
        "estate agent, estate agency, real estate, realtor, realty, letting agent, lettings, "
        "property management, property, properties, conveyanc*, mortgage, surveyor, landlord, "
        "housing association",
        "property listings, open house, property valuation, free valuation, instant valuation, "
        "under offer, stamp duty, sold STC, asking price, rental yield, tenant referencing, "
        "for sale or to let, book a valuation, book a viewing, arrange a viewing, "
        "property for sale, properties for sale, homes for sale, "
        "sold subject to contract, chain-free, guide price, freehold, leasehold, "
        "tenancy agreement, rental properties, list your property, dream home, property search, "
        "find your next home, sell your home, let your property, buying or selling",
    ),
    "automotive": _set(
        "automotive",
        "car, vehicle, garage, motor*, mechanic, tyre, tire, auto*, van, fleet, taxi, driving "
        "school, driving lessons, valet*, detailing, dealership, MOT, bodyshop, body shop",
        "MOT, test drive, bodywork, oil change, brake pads, car wash, mileage, wheel alignment, "
        "part exchange, engine diagnostics, car service, MOT test, MOTs, tyre fitting, "
        "gearbox, windscreen, cambelt, car servicing, vehicle servicing, courtesy car, "
        "valeting, full valet, used cars, car finance, road tax, mechanics, service your car, "
        "car repairs, your car serviced",
        mechanics=words_list("bike, bicycle, cycle, cycling"),
    ),
    "pets": _set(
        "pets/veterinary",
        "vet, veterinar*, pet, animal, dog, cat, puppy, puppies, kennel*, cattery, grooming, "
        "groomer, horse, equine, livestock, farm, saddl*, stable, riding",
        "register your pet, vaccinations, neutering, spaying, flea and worm, pet insurance, "
        "microchipping, puppy classes, dog grooming, dog walking, cats and dogs, your pet, "
        "pet owners, worming, pet health plan, boarding kennels, dog daycare, pet sitting, "
        "veterinary surgeon, vets",
    ),
    "charity": _set(
        "charity/fundraising",
        "charity, charities, nonprofit, non-profit, not-for-profit, foundation, volunteer*, "
        "community, council, society, cooperative, co-op, hospice, charitable trust, library, "
        "museum, church, choir",
        "donate now, make a donation, gift aid, regular giving, fundraising appeal, leave a "
        "gift in your will, sponsor a child, donate today, "
        "become a volunteer, our supporters, charity shop, registered charity, legacy gift",
    ),
    "recruitment": _set(
        "recruitment",
        "recruit*, staffing, employment agency, jobs board, headhunt*, talent acquisition",
        "upload your CV, submit your CV, job seekers, candidates, current vacancies, job board, "
        "hiring managers, placement fee, apply now for this role, job openings, "
        "recruitment consultants, temp jobs, permanent roles, job vacancies, "
        "register as a candidate",
    ),
    "travel": _set(
        "travel",
        "travel*, tour, tours, holiday, holidays, ferr*, airline, flights, excursion",
        "book your flight, book flights, all-inclusive, package holiday, itinerary, travel "
        "insurance, "
        "boarding pass, airport transfer, city break, flights, package holidays, "
        "holiday packages, all inclusive, travel agent, "
        "beach holiday, half board, full board",
    ),
    "photography": _set(
        "photography/creative",
        "photograph*, videograph*, film*, design*, artist, illustrat*, creative, studio, "
        "wedding, portrait",
        "photo shoot, engagement shoot, wedding photography, mood board, image licensing, "
        "headshots, photo session, editing and retouching, photographer, photography packages, "
        "wedding album, prints and albums, second shooter, family portraits",
    ),
    "cleaning": _set(
        "cleaning",
        "clean*, janitor*, housekeep*, valet*, laundr*, domestic, maid",
        "end of tenancy clean, deep clean, oven cleaning, carpet cleaning, spring clean, "
        "regular domestic cleaning, our cleaners, cleaning services, deep cleaning, "
        "office cleaning, window cleaning, cleaning team, end-of-tenancy, domestic cleaners",
    ),
}

# "Free trial class" fits a gym, "sign up free for our newsletter" any business: near these
# words, the term is not foreign.
NEAR_OK: dict[str, str] = {
    "sign up free": r"newsletter|mailing list|updates|e-?mail|news|volunteer|event|class|course",
    "sign up for free": r"newsletter|mailing list|updates|e-?mail|news|volunteer|event|class",
    "in stock": r"\b(?:seeds?|plants?|honey|candles|parts|glass|fabrics?|spares?)\b",
    "diagnosis": r"\bfault|\bengine|\bproblem|\bissue|\bdamp|\bleak",
}
