/**
 * Banned terms added by hand to those derived from the ranked lists: words people build NHSmail passwords on.
 * Written as people type them; they are normalised (lower case, substitutions undone) when the detector loads.
 * Terms of three letters match only exactly; from six letters on, also at edit distance 1.
 */
export const CURATED_TERMS: readonly string[] = [
  // The service and its organisations.
  "nhs", "nhsmail", "nhs.net", "nhsnet", "nhs.uk", "nhsuk", "nhsdigital", "nhsengland", "nhsbt", "nhsbsa",
  "portal", "outlook", "office", "microsoft", "teams", "windows", "azure", "entra",
  // Health-care words.
  "hospital", "health", "healthcare", "nurse", "nursing", "doctor", "surgery", "clinic", "clinical", "patient",
  "ward", "matron", "midwife", "pharmacy", "pharmacist", "paramedic", "ambulance", "trust", "medical", "medicine",
  "covid", "corona", "vaccine", "practice", "consultant",
  // Places.
  "england", "london", "britain", "scotland", "wales", "ireland", "manchester", "liverpool", "birmingham", "leeds",
  // Seasons, months and days.
  "spring", "summer", "autumn", "winter", "fall",
  "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
  "december", "sept",
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow",
  "christmas", "xmas", "easter", "newyear", "birthday",
  // The words of the most common passwords.
  "password", "passwort", "passwd", "passcode", "passphrase", "pass", "pwd", "secret", "welcome", "hello", "letmein",
  "login", "logon", "signin", "admin", "administrator", "root", "user", "guest", "test", "temp", "temporary", "default",
  "changeme", "change", "newpass", "reset", "iloveyou", "trustno", "monkey", "dragon", "football", "soccer",
  "baseball", "sunshine", "princess", "master", "shadow", "superman", "batman", "starwars", "pokemon", "whatever",
  "freedom", "computer", "internet", "secure", "security", "access", "private", "qwerty", "azerty", "qwertz",
  // Keyboard walks.
  "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbn", "zxcvbnm", "qazwsx", "qweasd", "qweasdzxc", "poiuyt", "lkjhgf",
  "mnbvcxz", "1qaz2wsx", "1qazxsw2", "zaq12wsx", "zaq1xsw2", "1q2w3e4r", "q1w2e3r4", "1q2w3e", "qwe123", "123qwe",
  "1qaz", "2wsx", "3edc", "4rfv", "zaq1", "xsw2", "cde3", "qaz", "wsx", "edc", "asdf", "zxcv", "qwer", "wasd",
];
