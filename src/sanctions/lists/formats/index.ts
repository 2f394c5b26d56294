/** The list readers by format name. */
import type { ListFormat } from '../entry.js';
import type { ListReader } from '../reader.js';
import { caSemaReader } from './ca-sema.js';
import { euFsfReader } from './eu-fsf.js';
import { ofacSdnCsvReader } from './ofac-sdn-csv.js';
import { ofacSdnXmlReader } from './ofac-sdn-xml.js';
import { ukCsvReader, ukXmlReader } from './uk-sanctions-list.js';
import { unConsolidatedReader } from './un-consolidated.js';

export const LIST_READERS: Readonly<Record<ListFormat, ListReader>> = {
  'eu-fsf-xml': euFsfReader,
  'ofac-sdn-csv': ofacSdnCsvReader,
  'ofac-sdn-xml': ofacSdnXmlReader,
  'uk-sanctions-list-csv': ukCsvReader,
  'uk-sanctions-list-xml': ukXmlReader,
  'ca-sema-xml': caSemaReader,
  'un-consolidated-xml': unConsolidatedReader,
};
