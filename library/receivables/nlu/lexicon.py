"""Calendar and money words per language, kept as data so a new form is one edit.

Every entry is a regular-expression fragment written in lower case with its diacritics;
rules compile them with :func:`receivables.nlu.text.compile_folded`, so "środę" also matches
"srode".  Polish nouns list their case endings; German and English list spellings.
"""

from __future__ import annotations

NEVER = r"(?!)"  # a pattern that matches nothing: this language has no such phrase

MONTHS: dict[str, dict[int, str]] = {
    "pl": {
        1: r"stycz(?:eń|nia|niu|niem)", 2: r"lut(?:y|ego|ym)", 3: r"mar(?:zec|ca|cu)",
        4: r"kwie(?:cień|tnia|tniu)", 5: r"maj(?:a|u)?", 6: r"czerw(?:iec|ca|cu)",
        7: r"lip(?:iec|ca|cu)", 8: r"sierp(?:ień|nia|niu)", 9: r"wrze(?:sień|śnia|śniu)",
        10: r"październik(?:a|u)?", 11: r"listopad(?:a|zie)?", 12: r"grud(?:zień|nia|niu)",
    },
    "de": {
        1: r"januar|jänner|jan\.?", 2: r"februar|feb\.?", 3: r"märz|maerz|mrz\.?",
        4: r"april|apr\.?", 5: r"mai", 6: r"juni|jun\.?", 7: r"juli|jul\.?",
        8: r"august|aug\.?", 9: r"september|sept?\.?", 10: r"oktober|okt\.?",
        11: r"november|nov\.?", 12: r"dezember|dez\.?",
    },
    "en": {
        1: r"january|jan\.?", 2: r"february|feb\.?", 3: r"march|mar\.?", 4: r"april|apr\.?",
        5: r"may", 6: r"june|jun\.?", 7: r"july|jul\.?", 8: r"august|aug\.?",
        9: r"september|sept?\.?", 10: r"october|oct\.?", 11: r"november|nov\.?",
        12: r"december|dec\.?",
    },
}

# Monday is 0, as in date.weekday().
WEEKDAYS: dict[str, dict[int, str]] = {
    "pl": {
        0: r"poniedział(?:ek|ku|kiem)", 1: r"wtor(?:ek|ku|kiem)", 2: r"środ(?:a|ę|y|zie|ą)",
        3: r"czwart(?:ek|ku|kiem)", 4: r"piąt(?:ek|ku|kiem)", 5: r"sobot(?:a|ę|y|ą)",
        6: r"niedziel(?:a|ę|i|ą)",
    },
    "de": {
        0: r"montag", 1: r"dienstag", 2: r"mittwoch", 3: r"donnerstag", 4: r"freitag",
        5: r"samstag|sonnabend", 6: r"sonntag",
    },
    "en": {
        0: r"monday", 1: r"tuesday", 2: r"wednesday", 3: r"thursday", 4: r"friday",
        5: r"saturday", 6: r"sunday",
    },
}

# Relative spans: a number (already digits) followed by one of these units.
UNITS: dict[str, dict[str, str]] = {
    "pl": {
        "workdays": r"dni robocz\w*|dzień roboczy|dnia roboczego",
        "days": r"dni|dzień|dnia|dniach",
        "weeks": r"tydzień|tygodni\w*",
        "months": r"miesiąc\w*|miesięcy",
    },
    "de": {
        "workdays": r"werktag\w*|arbeitstag\w*|geschäftstag\w*|bankarbeitstag\w*",
        "days": r"tag|tage|tagen|tages",
        "weeks": r"woche|wochen",
        "months": r"monat|monate|monaten|monats",
    },
    "en": {
        "workdays": r"(?:business|working|work|bank) days?|workdays?",
        "days": r"days?",
        "weeks": r"weeks?",
        "months": r"months?",
    },
}

# Words between the number and its unit that do not change the span ("7 more days").
UNIT_FILLERS: dict[str, str] = {
    "pl": r"(?:dodatkow\w+ |kolejn\w+ |następn\w+ |pełn\w+ )?",
    "de": r"(?:weitere[n]? |zusätzliche[n]? |volle[n]? )?",
    "en": r"(?:more |extra |additional |further |full )?",
}

# A unit said without a number means one of it ("do tygodnia", "a week").
BARE_UNIT: dict[str, str] = {
    "pl": r"(?:do|za|w ciągu|w przeciągu|przez|jeszcze|mi|najpóźniej za|około) (?P<unit>tydzień|tygodnia|miesiąc|miesiąca)",
    "de": r"(?:eine?|einer|einen) (?P<unit>woche|monat)",
    "en": r"(?:an?|one) (?:more |extra |additional |further )?(?P<unit>week|month|day)",
}

# Vague spans, fixed once: "kilka dni" / "ein paar Tage" / "a few days" / "a couple of days"
# are 3 of the unit; "półtora tygodnia" / "anderthalb Wochen" / "a week and a half" are 10 days
# (the earlier whole day of 10.5), one and a half months are a month and 15 days.
FEW_COUNT = 3
FEW: dict[str, str] = {
    "pl": r"(?:kilka|kilku|parę|paru)",
    "de": r"(?:1 paar|paar|einige[n]?|wenige[n]?)",
    "en": r"(?:a few|a couple of|a couple|couple of|few)",
}
ONE_AND_A_HALF: dict[str, str] = {
    "pl": r"(?:półtora|półtorej) (?P<unit>tygodnia|miesiąca)",
    "de": r"(?:anderthalb|eineinhalb) (?P<unit>wochen|monate[n]?)",
    "en": r"(?:an?|one|1) (?P<unit>week|month) and a half|(?:1 and a half|1\.5) (?P<unit2>weeks|months)",
}

# "po piętnastym", "nach dem 15.", "after the 15th": the day after that day of the month.
AFTER_DAY: dict[str, str] = {
    "pl": r"po",
    "de": r"nach dem|nach",
    "en": r"after(?: the)?",
}

FORTNIGHT: dict[str, str] = {"pl": NEVER, "de": NEVER, "en": r"(?:an? |1 )?(?:extra |more )?fortnight"}

# Ago: the span lies in the past.
AGO_AFTER: dict[str, str] = {"pl": r" temu", "de": NEVER, "en": r" ago"}
AGO_BEFORE: dict[str, str] = {"pl": NEVER, "de": r"vor ", "en": NEVER}

# Offsets in days from today.
DAY_WORDS: dict[str, dict[int, str]] = {
    "pl": {
        0: r"dziś|dzisiaj|dzisiejsz\w+|dzień dzisiejszy|wieczorem|po południu|za godzinę|za \d+ godzin\w*"
           r"|za pół godziny|za \d+ minut\w*|za (?:chwilę|chwileczkę|moment|momencik|kwadrans)",
        1: r"(?:jutro|jutra)(?: (?:wieczorem|rano|po południu|przed południem))?|jutrzejsz\w+",
        2: r"pojutrze",
    },
    "de": {
        0: r"heute(?: morgen| früh| abend| nachmittag| noch)?|am (?:nachmittag|abend)|in \d+ stunden?"
           r"|in (?:einer|1) (?:halben|viertel) stunde|in einer viertelstunde|in (?:\d+|ein paar|einigen|wenigen) minuten",
        1: r"(?<!guten )(?<!am )(?<!jeden )morgen(?!s)",
        2: r"übermorgen",
    },
    "en": {
        0: r"today|tonight|later today|this (?:afternoon|evening)|in an hour|in \d+ hours?"
           r"|in (?:half an hour|\d+ minutes?|a few minutes|a couple of minutes|a minute|a moment|a sec(?:ond)?)",
        1: r"tomorrow",
        2: r"(?:the )?day after tomorrow",
    },
}

# "Now": today, but weaker than any other date in the sentence ("now I can't, on Friday I will").
NOW_WORDS: dict[str, str] = {
    "pl": r"teraz|zaraz|od razu|natychmiast|od ręki|niezwłocznie|na już",
    "de": r"jetzt|sofort|gleich|umgehend|direkt|unverzüglich",
    "en": r"now|right away|immediately|straight away|(?<!all )at once|asap",
}

# Frequencies, not dates: "£100 a month" (`#` is a masked sum of money).
FREQUENCY: dict[str, str] = {
    "pl": r"#+ (?:na|co) (?:miesiąc|tydzień)|co \d+ (?:dni|tygodnie|miesiące)",
    "de": r"#+ (?:pro|im|jeden|jede) (?:monat|woche)|alle \d+ (?:tage|wochen|monate)",
    "en": r"#+ (?:a|per|each|every) (?:day|week|month)|every \d+ (?:days|weeks|months)",
}

# Durations, not dates: "rozłożyć na 3 miesiące", "auf drei Monate verteilen", "over six months".
DURATION: dict[str, str] = {"pl": r"(?:na|przez)", "de": r"(?:auf|über)", "en": r"(?:over|across)"}

# Said about the past: recognised as a date so that no later rule reads them as a promise.
PAST_WORDS: dict[str, str] = {
    "pl": r"wczoraj|przedwczoraj|(?:w )?(?:zeszłym|ubiegłym|poprzednim) (?:tygodniu|miesiącu)|(?:w )?(?:zeszły|ubiegły) \w+|tydzień temu|miesiąc temu",
    "de": r"gestern|vorgestern|letzte[nr]? (?:woche|monat|\w+tag|mittwoch)|vergangene[nr]? (?:woche|monat)|vor einer woche"
          r"|seit (?:gestern|vorgestern|\w+tag|mittwoch|letzte[rnm]? \w+)",
    "en": r"yesterday|the day before yesterday|last (?:week|month|\w+day)|a week ago|a month ago"
          r"|since (?:yesterday|last \w+|\w+day)",
}

NEXT: dict[str, str] = {
    "pl": r"(?:w |we |do |na )?(?:przyszł\w+|następn\w+)",
    "de": r"(?:am |bis |bis zum |zum )?nächste[nrsm]?",
    "en": r"(?:on |by |until |till )?next",
}

THIS: dict[str, str] = {
    "pl": r"(?:w |we |do |na )?(?:ten|tę|ta|najbliższ\w+|ten najbliższy|tę najbliższą)",
    "de": r"(?:am |bis |bis zum |zum )?(?:diese[nrsm]?|kommende[nrsm]?)",
    "en": r"(?:on |by |until |till )?(?:this coming|this|coming|the coming)",
}

WEEKDAY_PREP: dict[str, str] = {
    "pl": r"(?:(?:w|we|do|na|od|przed|najpóźniej w|najpóźniej do) )?",
    "de": r"(?:(?:am|bis|bis zum|zum|ab|spätestens am|spätestens bis|bis spätestens) )?",
    "en": r"(?:(?:on|by|until|till|before|no later than|latest by) )?",
}

# "w przyszłym tygodniu", "nächste Woche", "next week": the week after the current one.
NEXT_WEEK: dict[str, str] = {
    "pl": r"(?:w |na )?(?:przyszłym|następnym) tygodniu|przyszły tydzień|przyszłego tygodnia",
    "de": r"(?:in der |im laufe der )?nächste[nr]? woche|(?:in der )?kommende[nr]? woche",
    "en": r"(?:during |in |sometime )?next week",
}
THIS_WEEK: dict[str, str] = {
    "pl": r"(?:w |na )?tym tygodniu|(?:w )?ten tydzień|(?:w )?bieżącym tygodniu",
    "de": r"(?:in )?dieser woche|diese woche",
    "en": r"(?:during |in |sometime )?this week",
}
END_OF_WEEK: dict[str, str] = {
    "pl": r"(?:do |na |pod |przed )?(?:koniec|końca|końcem|końcu) (?:tego |bieżącego )?tygodnia",
    "de": r"(?:bis )?(?:zum |spätestens )?ende (?:der|dieser|diese) woche",
    "en": r"(?:by |at |before )?(?:the )?end of (?:the |this )?week",
}
END_OF_NEXT_WEEK: dict[str, str] = {
    "pl": r"(?:do |na |pod |przed )?(?:koniec|końca|końcem|końcu) (?:przyszłego|następnego) tygodnia",
    "de": r"(?:bis )?(?:zum )?ende (?:der )?nächste[nr]? woche",
    "en": r"(?:by |at )?(?:the )?end of next week",
}
START_OF_NEXT_WEEK: dict[str, str] = {
    "pl": r"(?:na |z )?(?:początku|początek|początkiem) (?:przyszłego|następnego) tygodnia",
    "de": r"anfang (?:der )?nächste[nr]? woche",
    "en": r"(?:early|(?:at )?the (?:beginning|start) of) next week",
}
WEEKEND: dict[str, str] = {
    "pl": r"(?:w |na |przez |do )(?:ten )?weekend\w*",
    "de": r"(?:am |übers |über das |bis zum |dieses )wochenende",
    "en": r"(?:at |on |over |by |this )(?:the )?weekend",
}

CURRENT_MONTH: dict[str, str] = {
    "pl": r"(?:tego |bieżącego |obecnego )?miesiąca",
    "de": r"(?:des |diese[sn] )?monats",
    "en": r"(?:the |this )?month",
}
NEXT_MONTH: dict[str, str] = {
    "pl": r"(?:przyszłego|następnego) miesiąca",
    "de": r"(?:des )?(?:nächsten|kommenden) monats|nächsten monat",
    "en": r"next month",
}
END_OF: dict[str, str] = {
    "pl": r"(?:do |na |pod |przed )?(?:koniec|końca|końcem|końcu) ",
    "de": r"(?:bis )?(?:zum |spätestens |spätestens zum )?ende ",
    "en": r"(?:by |at |before |until )?(?:the )?end of ",
}
START_OF: dict[str, str] = {
    "pl": r"(?:na |z |od )?(?:początku|początek|początkiem) ",
    "de": r"(?:bis |ab )?anfang (?:des )?",
    "en": r"(?:early |(?:at |by )?the (?:beginning|start) of |(?:at |by )?(?:the )?beginning of |(?:at |by )?(?:the )?start of )",
}
MIDDLE_OF: dict[str, str] = {
    "pl": r"(?:w |do |na )?(?:połowie|połowy|połowę|połowa|środku) ",
    "de": r"(?:bis )?mitte ",
    "en": r"(?:(?:by |in |around )?(?:the )?middle of |mid-|mid )",
}
MONTH_END_WORD: dict[str, str] = {"pl": NEVER, "de": r"(?:bis |zum |bis zum )?monatsende", "en": NEVER}
# "Nächsten Monat Anfang": the month named first, its beginning after it.
NEXT_MONTH_START_AFTER: dict[str, str] = {
    "pl": r"(?:w )?(?:przyszłym|następnym) miesiącu na początku|przyszły miesiąc,? na początku",
    "de": r"(?:im |am )?(?:nächsten|kommenden) monat(?:s)?,? (?:am )?anfang",
    "en": r"next month,? (?:early|at the (?:beginning|start))",
}
IN_MONTH: dict[str, str] = {"pl": r"(?:w|we) ", "de": r"im ", "en": r"in "}
IN_NEXT_MONTH: dict[str, str] = {
    "pl": r"(?:w )?(?:przyszłym|następnym) miesiącu|przyszły miesiąc",
    "de": r"(?:im )?(?:nächsten|kommenden) monat",
    "en": r"(?:in |during |sometime )?next month",
}
IN_THIS_MONTH: dict[str, str] = {
    "pl": r"(?:w )?(?:tym|bieżącym) miesiącu",
    "de": r"(?:in )?diese[mn] monat",
    "en": r"(?:in |during )?this month",
}

# Prepositions that make a bare number (no dot) a day of the month: "do 20", "by the 20".
DAY_PREP: dict[str, str] = {
    "pl": r"(?:do|dnia|na dzień|w dniu|najpóźniej do|przed)",
    "de": r"(?:am|zum|bis zum|bis|ab dem|spätestens am|spätestens zum|bis spätestens zum)",
    "en": r"(?:on|by|until|till|before|after|from|for) (?:the )?|the ",
}
# Nouns after "the 2." that show it is not a day ("the second instalment").
NOT_A_DAY_AFTER: str = (
    r"(?!\s*(?:rat\w*|installment\w*|instalment\w*|half|hälfte|halfte|payment\w*|time\w*|mal\b|"
    r"reminder\w*|mahnung\w*|invoice\w*|rechnung\w*|part\w*|teil\w*|część\w*|czesc\w*|połow\w*|polow\w*|"
    r"dni|tag\w*|day\w*|week\w*|woche\w*|tydz\w*|tygod\w*|month\w*|monat\w*|miesi\w*|%|godz\w*|uhr|hour\w*|o'clock|am\b|pm\b))"
)

CURRENCIES: dict[str, str] = {
    "PLN": r"zł|złotych|złote|złoty|złotówek|złotówki|złociszy|pln|zeta|zet",
    "EUR": r"€|eur|euro|euros|eurów|euraków",
    "USD": r"\$|usd|us-dollar|dollars?|bucks|dolarów|dolary|dolara|dolar",
    "GBP": r"£|gbp|pounds?(?: sterling)?|quid|funtów|funty|funta|pfund",
    "CHF": r"chf|franken|francs?|franków",
}

# Parts of the debt said instead of a sum.
SHARES: dict[str, dict[str, str]] = {
    "pl": {
        "half": r"(?:drugą |pierwszą )?połow\w*|pół kwoty|pół długu|pół",
        "rest": r"reszt\w*|pozostał\w* (?:kwot\w*|częś\w*|sum\w*)|pozostałe|pozostałą|pozostałość",
        "full": r"całość|całą kwotę|całą sumę|cały dług|w całości|wszystko",
    },
    "de": {
        "half": r"(?:die |eine )?(?:andere |zweite |erste )?hälfte|halbe[nr]? betrag|halb",
        "rest": r"(?:den |der )?rest(?:betrag|summe|lichen)?|übrige[n]?|restliche[n]?",
        "full": r"(?:den )?(?:ganzen|gesamten|vollen) betrag|alles|vollständig|komplett",
    },
    "en": {
        "half": r"(?:the )?(?:other |second |first )?half",
        "rest": r"(?:the )?(?:rest|remainder|remaining (?:amount|balance|part)|balance)",
        "full": r"in full|the full amount|the whole (?:amount|sum|thing)|everything|all of it|the full balance",
    },
}

# Where a sentence may hand over to the next part of a payment plan.
CLAUSE_BREAKS: dict[str, str] = {
    "pl": r",(?!\d)|;|\s(?:a|i|oraz|potem|następnie|zaś|natomiast)\s",
    "de": r",(?!\d)|;|\s(?:und|dann|danach|anschließend|sowie)\s",
    "en": r",(?!\d)|;|\s(?:and|then|after that|plus)\s",
}

# Any word about paying: with one of these, a date alone makes the answer a promise.
PAY_WORDS: dict[str, str] = {
    "pl": r"płac|płat|przelew|przelej|wpłac|pieniąd|kas[aęy]\b|spłac|ureguluj|dług|należnoś",
    "de": r"zahl|überwei|geld|begleich|beglich|betrag|schulden",
    "en": r"pay|paid|money|transfer|settle|fund|cash|debt|owe",
}

# Verbs of being and having: "jutro mam urodziny", "morgen ist Feiertag" state a fact about the
# day, so a date with one of these and no word about paying is not an answer naming a date.
STATE_VERBS: dict[str, str] = {
    "pl": r"\b(?:mam|ma|mamy|jest|są|będzie|był|była)\b",
    "de": r"\b(?:habe|hab|hat|haben|ist|sind|war|bin)\b",
    "en": r"\b(?:is|are|was|have|has|had|i'm|it's)\b",
}

# Agreement words: "Ist gut, Freitag" is still an answer naming a date despite "ist".
AGREEMENT: dict[str, str] = {
    "pl": r"\b(?:tak|dobrze|dobra|ok|okej|jasne)\b",
    "de": r"\b(?:ja|gut|ok|okay|in ordnung|klar|einverstanden)\b",
    "en": r"\b(?:yes|yeah|ok|okay|fine|sure|alright)\b",
}

# Words that turn a sentence round: what follows decides the intent ("nie teraz, ale w piątek").
CONTRAST: dict[str, str] = {
    "pl": r"\b(?:ale|lecz|jednak|jednakże|natomiast|tylko że)\b",
    "de": r"\b(?:aber|jedoch|doch|allerdings|sondern)\b",
    "en": r"\b(?:but|however|though|although)\b",
}

# English typed without apostrophes ("cant talk now", "im driving"): restored before the rules.
APOSTROPHES: dict[str, str] = {
    word: word[:-1] + "'t"
    for word in ("cant", "dont", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "havent",
                 "hasnt", "hadnt", "couldnt", "wouldnt", "shouldnt", "aint")
} | {"im": "i'm", "ive": "i've", "youre": "you're", "youve": "you've", "youll": "you'll", "thats": "that's",
     "whats": "what's", "theres": "there's", "weve": "we've", "theyre": "they're"}

# Negation in a clause: "teraz nie mam" / "jetzt kann ich nicht" / "I can't now" is no plan part.
NEGATION: dict[str, str] = {
    "pl": r"\bnie\b",
    "de": r"\b(?:nicht|kein\w*)\b",
    "en": r"\b(?:not|no|cannot)\b|n't\b",
}
