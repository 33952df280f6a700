-- How each person's names sound (Soundex, domain::person::phonetic), so a search finds a child
-- whose name was misspelt. Filled for existing rows when the store opens.
ALTER TABLE person ADD COLUMN family_key TEXT;
ALTER TABLE person ADD COLUMN given_key TEXT;
CREATE INDEX person_family_key ON person (family_key);
