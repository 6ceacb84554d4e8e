/** English text of Cloud sessions. */
export const cloudEn = {
  'cloud.title': 'Cloud synchronization',
};
