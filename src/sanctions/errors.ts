/** The sanctions area's error codes (modules that throw them import this file, which registers them). */
import { defineErrors } from '../platform/errors.js';

export const sanctionsErrors = defineErrors({
  SVD_SANCTIONS_LIST_FORMAT: { status: 400, message: 'The file is not a list in the format given.' },
  SVD_SANCTIONS_LIST_PARSE: { status: 400, message: 'The list file cannot be read.' },
  SVD_SANCTIONS_LIST_ENCODING: { status: 400, message: 'The list file is not in the encoding it declares.' },
  SVD_SANCTIONS_LIST_RECORD: { status: 400, message: 'A record of the list cannot be stored.' },
  SVD_SANCTIONS_LIST_EMPTY: {
    status: 400,
    message: 'The file holds no designations; nothing was imported and no listing was ended.',
  },
  SVD_SANCTIONS_LIST_FILES: { status: 400, message: 'These files do not fit the format given.' },
  SVD_SANCTIONS_LIST_DATASET: {
    status: 409,
    message: 'The dataset holds another kind of data; import the list into a dataset of its own.',
  },
  SVD_SANCTIONS_PROPOSAL_STATE: {
    status: 409,
    message: 'The proposal is not in a state that allows this step for that jurisdiction.',
  },
  SVD_SANCTIONS_REASON_UNLINKED: {
    status: 409,
    message:
      'Every reason must rest on at least one evidence item, incident or source record before the proposal can be approved.',
  },
  SVD_SANCTIONS_LINK_UNKNOWN: {
    status: 400,
    message:
      'A reason links to an evidence item, incident or record that does not exist or that you cannot see.',
  },
  SVD_SANCTIONS_PROPOSAL_STALE: {
    status: 409,
    message: 'The proposal was changed meanwhile. Reload it and edit again.',
  },
  SVD_SANCTIONS_TARGET_LOCKED: {
    status: 409,
    message: 'The proposal was already submitted to this jurisdiction; that target cannot be removed.',
  },
});
