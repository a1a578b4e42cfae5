export { ARCHIVE_LIMITS, type ArchiveLimits } from './limits';
export { archiveFormat, readArchive, type ArchiveFile } from './read-archive';
export { refuserFor, type Refuse } from './refusal';
