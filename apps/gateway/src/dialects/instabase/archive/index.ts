export { ARCHIVE_LIMITS, IMPORT_LIMITS, type ArchiveLimits } from './limits';
export { archiveFormat, readArchive, type ArchiveFile, type ArchiveSelection } from './read-archive';
export { refuserFor, uploadNamed, type Refuse } from './refusal';
