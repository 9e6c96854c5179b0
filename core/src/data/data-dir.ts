/**
 * Names in DATA_DIR that more than one program uses: the collector writes them, the report engine
 * and the site builder read them. One spelling, here.
 */

/** The collector's journal (line protocol segments); without INFLUX_URL it is the local store. */
export const JOURNAL_DIR = "journal";

/** The Viessmann tokens (refresh token included): the collector writes it, the builder scans pages for it. */
export const VIESSMANN_TOKEN_FILE = "viessmann-token.json";
