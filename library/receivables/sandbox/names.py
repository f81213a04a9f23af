"""Vocabulary for believable Polish, German and British customers and the ways payers mistype them."""

from __future__ import annotations

PL_FIRST = ["Jan", "Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Marek", "Małgorzata",
            "Krzysztof", "Ewa", "Paweł", "Joanna", "Michał", "Magdalena", "Grzegorz", "Zofia"]
PL_LAST = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
           "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
           "Krawczyk", "Piotrowski", "Grabowski", "Pawłowski", "Michalski", "Zając"]
PL_STEMS = ["Trans", "Bud", "Agro", "Mebl", "Stal", "Eko", "Inter", "Poli", "Tech", "Farm",
            "Drew", "Elektro", "Auto", "Med", "Hurt", "Pak", "Chem", "Szkło", "Tex", "Logi"]
PL_SUFFIX = ["pol", "max", "bud", "mex", "ex", "tor", "land", "serwis", "trans", "net"]
PL_FORMS = ["sp. z o.o.", "sp. z o.o.", "sp. z o.o.", "S.A.", "sp.j.", "sp. k."]
PL_SOLE = ["PHU", "FHU", "PPHU", "Zakład Usługowy", "Firma Handlowa"]
PL_CITIES = [("Warszawa", "00"), ("Kraków", "30"), ("Łódź", "90"), ("Wrocław", "50"), ("Poznań", "60"),
             ("Gdańsk", "80"), ("Szczecin", "70"), ("Lublin", "20"), ("Katowice", "40"),
             ("Białystok", "15"), ("Rzeszów", "35"), ("Bydgoszcz", "85"), ("Kielce", "25")]
PL_STREETS = ["ul. Długa", "ul. Polna", "ul. Leśna", "ul. Słoneczna", "ul. Krótka", "ul. Szkolna",
              "ul. Ogrodowa", "ul. Lipowa", "ul. Przemysłowa", "al. Jana Pawła II", "ul. Kolejowa"]

DE_FIRST = ["Thomas", "Sabine", "Michael", "Petra", "Andreas", "Claudia", "Stefan", "Monika",
            "Jürgen", "Birgit", "Frank", "Ute"]
DE_LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf"]
DE_STEMS = ["Nord", "Süd", "Rhein", "Alpen", "Spree", "Elb", "Main", "Hansa", "Berg", "Wald"]
DE_SUFFIX = ["logistik", "technik", "handel", "bau", "metall", "spedition", "service", "werke"]
DE_FORMS = ["GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."]
DE_CITIES = [("Berlin", "10"), ("Hamburg", "20"), ("München", "80"), ("Köln", "50"),
             ("Frankfurt am Main", "60"), ("Stuttgart", "70"), ("Düsseldorf", "40"),
             ("Leipzig", "04"), ("Dresden", "01"), ("Hannover", "30"), ("Nürnberg", "90")]
DE_STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Industriestraße", "Schillerstraße",
              "Goethestraße", "Lindenweg", "Am Hafen", "Mühlenweg"]

GB_FIRST = ["James", "Emma", "Oliver", "Sophie", "Harry", "Charlotte", "George", "Amelia"]
GB_LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Walker"]
GB_STEMS = ["Thames", "Albion", "Crown", "Kestrel", "Pennine", "Harbour", "Oakfield", "Severn"]
GB_SUFFIX = [" Freight", " Supplies", " Engineering", " Trading", " Logistics", " Components"]
GB_FORMS = ["Ltd", "Ltd", "Limited", "PLC", "LLP"]
GB_CITIES = [("London", "EC1A 1BB"), ("Manchester", "M1 1AE"), ("Birmingham", "B1 1AA"),
             ("Leeds", "LS1 4AP"), ("Bristol", "BS1 4DJ"), ("Glasgow", "G1 1XQ")]
GB_STREETS = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "King Street"]

MANAGERS = ["anna.kowalska@nordwind.example", "piotr.zielinski@nordwind.example",
            "katarzyna.mazur@nordwind.example", "thomas.weber@nordwind.example"]

SERVICES = {
    "pl": ["Usługa transportowa", "Spedycja krajowa", "Magazynowanie", "Obsługa celna", "Usługa kurierska"],
    "de": ["Transportleistung", "Spedition international", "Lagerung", "Zollabwicklung"],
    "en": ["Freight services", "International forwarding", "Warehousing", "Customs clearance"],
}

TITLE_WORDS = {
    "pl": ["Zapłata za fakturę", "Faktura", "FV", "Płatność za", "Opłata faktury nr", "Przelew za fakturę"],
    "de": ["Rechnung", "Zahlung Rechnung", "RE", "Rechnungsnr.", "Begleichung Rechnung"],
    "en": ["Invoice", "Payment for invoice", "INV", "Payment ref", "Settlement of invoice"],
}
VAGUE_TITLES = {
    "pl": ["Płatność", "Zapłata za usługi transportowe", "Przelew", "Należność za transport", "zaległa płatność"],
    "de": ["Zahlung", "Überweisung", "Transportkosten", "Ausgleich offener Posten"],
    "en": ["Payment", "Transport services", "Outstanding balance", "Account settlement"],
}
EXPENSES = [("ZUS", "Składki ZUS za okres"), ("Urząd Skarbowy Warszawa", "VAT-7 za okres"),
            ("Orlen S.A.", "Paliwo karta flotowa"), ("PGE Obrót S.A.", "Energia elektryczna"),
            ("Wynagrodzenia", "Lista płac"), ("Leasing Polska S.A.", "Rata leasingowa")]
