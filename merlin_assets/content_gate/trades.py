"""Vocabulary tables: words that belong to one kind of business, and the evidence that fits it.

A term is foreign on a site unless the config's own text (name, industry, description,
services, notes...) contains one of its set's evidence words, one of the term's own extra
evidence words, or the term itself. Evidence words match whole words; a trailing "*" makes
the word a prefix ("plumb*" finds plumber, plumbing). Terms with two or more capitals
("SaaS", "GP") match case-sensitively; other terms also match their plurals.

Terms are chosen to be unambiguous: only words that no ordinary business in another trade
would use in passing. When in doubt, leave a term out, or give it extra evidence.
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
    "gym*, fitness, yoga, pilates, class*, member*, lesson*, tutor*, dance*, martial, boxing, "
    "climb*, swim*, coach*, studio*, club*, course*, sport*, train*, school*, academ*"
)
_SUBSCRIPTIONS = words_list(
    "box*, club*, deliver*, coffee, wine*, magazine*, florist*, flower*, meal*, newsletter*, "
    "member*, membership*, charit*, donat*, class*, course*, event*, volunteer*, lesson*, gym*"
)
_TREATMENTS = words_list(
    "salon*, spa, spas, beaut*, treatment*, massage*, nail*, barber*, hair*, wellness, facial*, "
    "aesthetic*, clinic*, groom*, tattoo*"
)

TRADES: dict[str, TermSet] = {
    "software": _set(
        "software/SaaS",
        (
            "software, saas, app, apps, application*, platform*, tech*, digital, online, cloud, "
            "data, automat*, api, apis, developer*, startup*, start-up*, subscription*, "
            "dashboard*, analytic*, AI, IT, web*, internet, tool*, b2b, crm, plugin*, system*, "
            "product*, cyber*, comput*, program*, code, coding, devops, ecommerce, e-commerce, "
            "marketplace*, fintech, edtech, integration*"
        ),
        (
            "free trial, start your trial, pricing plans, pricing tiers, per seat, per user per "
            "month, SaaS, dashboard, sign up, subscribe, API, integrations, no credit card "
            "required, upgrade your plan, book a demo, request a demo, product tour, workspace, "
            "uptime, changelog, SDK, download the app, app store"
        ),
        free_trial=_CLASSES,
        start_your_trial=_CLASSES,
        sign_up=_SUBSCRIPTIONS,
        subscribe=_SUBSCRIPTIONS,
        pricing_plans=_CLASSES + _SUBSCRIPTIONS,
        dashboard=words_list("car*, auto*, vehicle*, garage*, motor*"),
        workspace=words_list("cowork*, co-work*, office*, desk*, studio*, space*"),
    ),
    "restaurant": _set(
        "restaurant",
        (
            "restaurant*, cafe*, café*, bistro*, bar, bars, pub, pubs, diner*, eatery, food*, "
            "kitchen*, dining, dine, cater*, bake*, bakery, bakeries, cake*, pastr*, coffee, "
            "brasserie*, trattoria*, pizz*, takeaway*, chef*, cuisine*, tavern*, inn, inns, "
            "hotel*, brew*, winery, wine*, distiller*, deli, delis, delicatessen*, tea, teas, "
            "tearoom*, meal*, lunch*, dinner*, breakfast*, brunch*, cocktail*, venue*, wedding*, "
            "event*, grocer*, butcher*, cheese*, ice cream, gelato, dessert*, chocolat*, "
            "confection*, street food, eat*, cook*, juice*, smoothie*, vegan, farm*"
        ),
        (
            "book a table, reserve a table, table reservation, tasting menu, à la carte, a la "
            "carte, wine list, set menu, dine in, our menu, full menu, view the menu, see the "
            "menu, browse the menu, sample menu, drinks menu, lunch menu, dinner menu, brunch "
            "menu, happy hour, starters and mains"
        ),
        our_menu=_TREATMENTS,
        full_menu=_TREATMENTS,
        view_the_menu=_TREATMENTS,
        see_the_menu=_TREATMENTS,
        browse_the_menu=_TREATMENTS,
        sample_menu=_TREATMENTS,
    ),
    "retail": _set(
        "retail/e-commerce",
        (
            "shop*, store*, retail*, ecommerce, e-commerce, online, boutique*, product*, "
            "merchandise, sell*, sold, goods, suppl*, wholesale*, brand*, gift*, florist*, "
            "flower*, bake*, bakery, cake*, jewel*, cloth*, fashion, apparel, books, bookshop*, "
            "bookstore*, furniture, homeware*, craft*, handmade, pottery, ceramic*, art, arts, "
            "print*, candle*, cosmetic*, skincare, pharmac*, garden centre*, deli, grocer*, "
            "farm*, wine*, coffee, tea, roast*, brew*, parts, tyre*, bike*, pet*, toy*, game*, "
            "market*, order*, buy*, deliver*"
        ),
        (
            "add to cart, add to basket, shopping cart, shopping basket, checkout, free shipping, "
            "shop now, shop the collection, in stock, out of stock, promo code, discount code, "
            "SKU, buy now, free returns"
        ),
    ),
    "medical": _set(
        "medical",
        (
            "medic*, clinic*, health*, doctor*, gp, gps, nurs*, dent*, orthodont*, hospital*, "
            "physio*, therap*, chiropract*, osteopath*, pharma*, vet, vets, veterinar*, optic*, "
            "optom*, eye*, hearing, audiolog*, podiat*, chiropod*, counsel*, psycholog*, "
            "psychiatr*, mental, wellbeing, wellness, aesthetic*, cosmetic*, skin*, laser*, "
            "dermatolog*, massage*, acupunct*, nutrition*, dietit*, care, carer*, hospice*, "
            "surgery, surgeon*, patient*, research*, lab, labs, laborator*, scien*, bio*, pet*, "
            "animal*, dog*, cat, cats, horse*, equine, midwi*, pregnan*, baby, babies, fertility, "
            "rehab*"
        ),
        ("patients, prescription, medication, GP, NHS, medical history, clinical"),
    ),
    "legal": _set(
        "legal",
        (
            "law, laws, legal*, lawyer*, solicitor*, attorney*, barrister*, notar*, conveyanc*, "
            "probate, paralegal*, court*, litig*, advocate*, chambers, immigration, wills, "
            "estate*, propert*, funeral*, bereave*, accountan*, financ*, tax*, mortgage*, realt*, "
            "real estate, letting*, housing, landlord*, care home*, later life, retire*, insur*, "
            "mediat*, hr, employment, divorce*, compliance, regulat*, contract*, notary"
        ),
        (
            "litigation, legal advice, legal aid, our solicitors, our lawyers, our attorneys, "
            "attorney-client, case evaluation, court representation, conveyancing, power of "
            "attorney, probate"
        ),
    ),
    "fitness": _set(
        "fitness",
        (
            "gym*, fitness, sport*, train*, coach*, yoga, pilates, crossfit, box*, martial, "
            "karate, judo, dance*, athlet*, run*, swim*, climb*, exercise*, physio*, rehab*, "
            "wellness, wellbeing, health*, bootcamp*, spin, cycl*, personal trainer*, studio*, "
            "active, strength, leisure"
        ),
        (
            "workout, personal training, HIIT, gym membership, class timetable, cardio, strength "
            "and conditioning"
        ),
    ),
    "real estate": _set(
        "real estate",
        (
            "estate*, real estate, propert*, realt*, letting*, home*, hous*, mortgage*, rent*, "
            "landlord*, tenan*, apartment*, flat, flats, architect*, construct*, build*, "
            "interior*, remov*, survey*, conveyanc*, accommodation, hotel*, clean*, plumb*, "
            "heat*, gas, boiler*, electric*, roof*, decorat*, maintenance, repair*, handyman, "
            "lock*, law, legal, solicitor*, financ*, account*, insur*, storage, develop*"
        ),
        ("property listings, open house, property valuation, free valuation, mortgage, lettings"),
    ),
    "automotive": _set(
        "automotive",
        (
            "auto*, car, cars, vehicle*, garage*, motor*, mechanic*, tyre*, tire*, van, vans, "
            "fleet*, taxi*, driv*, transport*, logistic*, bike*, cycl*, parking, valet*, "
            "detailing, dealership*, courier*, remov*, haulage"
        ),
        ("MOT, test drive, bodywork, oil change, brake pads, car wash, mileage"),
    ),
    "education": _set(
        "education",
        (
            "school*, tutor*, educat*, academ*, college*, universit*, teach*, lesson*, class*, "
            "course*, train*, learn*, student*, pupil*, kid*, child*, nurser*, childcare, music*, "
            "dance*, language*, driving, coach*, workshop*, research*, lab, labs, laborator*, "
            "museum*, librar*, camp*, exam*, revision, gcse*, stem, scien*, club*, swim*, sport*, "
            "art, arts, craft*, pottery, youth"
        ),
        (
            "enrol, enroll, enrolment, enrollment, curriculum, tuition, term dates, GCSE, pupils, "
            "homework, exam preparation"
        ),
    ),
    "beauty": _set(
        "beauty",
        (
            "salon*, beaut*, spa, spas, hair*, barber*, nail*, lash*, brow*, skin*, aesthetic*, "
            "cosmetic*, makeup, make-up, wellness, massage*, tan, tanning, wedding*, bridal, "
            "bride*, groom*, pamper*, clinic*, derm*, fashion, model*, photo*"
        ),
        (
            "manicure, pedicure, blow-dry, lash extensions, brow lamination, facials, gel nails, "
            "balayage, spray tan, waxing"
        ),
    ),
    "lodging": _set(
        "hotel/lodging",
        (
            "hotel*, b&b, bed and breakfast, guest*, inn, inns, hostel*, accommodation*, "
            "holiday*, cottage*, lodge*, resort*, stay*, bnb, airbnb, camp*, glamping, venue*, "
            "retreat*, cabin*, chalet*, villa*, travel*, tour*, wedding*, event*, apartment*, "
            "hospitality, pub, pubs"
        ),
        ("book your stay, en-suite, guest rooms, nightly rate, per night, room service"),
    ),
    "finance": _set(
        "finance/accounting",
        (
            "account*, bookkeep*, tax*, financ*, payroll, wealth, advis*, invest*, bank*, insur*, "
            "mortgage*, pension*, consult*, business*, legal, law, solicitor*, hr, admin*, "
            "software, saas, fintech, startup*, compan*, charit*, probate, estate*, retire*, "
            "later life"
        ),
        (
            "tax return, bookkeeping, payroll, self-assessment, VAT return, HMRC, IRS, year-end "
            "accounts, wealth management, investment portfolio, pension"
        ),
    ),
    "trades": _set(
        "plumbing/building trades",
        (
            "plumb*, heat*, gas, boiler*, electric*, build*, construct*, roof*, handyman, "
            "handymen, home*, maintenance, repair*, renovat*, propert*, lock*, drain*, hvac, air "
            "con*, landlord*, facilit*, hous*, estate*, hotel*, install*, trade*, joiner*, "
            "carpent*, decorat*, kitchen*, bathroom*, clean*, energy, solar, insulat*, damp, "
            "glaz*, window*, door*, fit*, engineer*, survey*, architect*, letting*"
        ),
        (
            "boiler, call-out fee, emergency call-out, rewire, rewiring, fuse box, blocked "
            "drains, drain unblocking, leaking taps, radiator"
        ),
    ),
    "funeral": _set(
        "funeral",
        (
            "funeral*, bereave*, memorial*, cremat*, burial*, cemeter*, church*, chaplain*, "
            "hospice*, celebrant*, grief, griev*, counsel*, florist*, flower*, pet*, vet, vets, "
            "veterinar*, stonemason*, headstone*, monument*, care home*, palliative, insur*, "
            "wills, probate, estate planning, solicitor*, law, legal, charit*, nonprofit, faith*, "
            "relig*, priest*, minister*, ceremon*, later life, elder*, obituar*"
        ),
        (
            "bereavement, cremation, burial, deceased, chapel of rest, coffin, casket, embalming, "
            "funeral plan, funeral arrangements, condolences"
        ),
    ),
}

# "Sign up for our newsletter" fits any business: near these words, the term is not foreign.
NEAR_OK: dict[str, str] = {
    "sign up": r"newsletter|mailing list|updates|e-?mail|news|volunteer|event|class|course",
    "subscribe": r"newsletter|mailing list|updates|e-?mail|news|blog|podcast|channel|feed",
}
