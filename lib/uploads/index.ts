// Uploaded files of a clinic: streaming them into storage, reading them back.
export { getUpload, readUploadBytes, PURGED_UPLOAD_MESSAGE } from './read-upload';
export { receiveUpload, cleanFileName, FILE_FIELD, type ReceiveUploadInput, type ReceivedUpload } from './receive-upload';
export { openUploadDownload, DOWNLOAD_URL_TTL_SECONDS, type UploadDownload } from './download-upload';
export { ACCEPTED_TYPES_MESSAGE, AUDIO_KINDS, detectFileKind, KIND_CONTENT_TYPES, SNIFF_BYTES } from './file-kind';
export { asciiFileName, contentDisposition } from './content-disposition';
