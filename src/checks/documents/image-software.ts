// Which image software strings name an editor, and which are camera or phone firmware.

/** Programs that edit or re-encode pictures. */
export const IMAGE_EDITORS = /Photoshop|GIMP|Lightroom|Paint\.NET|Pixelmator|Affinity Photo|Snapseed|PicsArt|Canva|ImageReady|ACDSee|PaintShop|Corel|Luminar|Capture One|darktable|RawTherapee|Photopea|Fotor|Picasa|ImageMagick|GraphicsMagick|Krita|Photo ?Scape|Fotoflexer|Pixlr|Facetune|Meitu|VSCO|Lensa|Remini|Inpaint|Photoshop Express|Adobe Firefly|Skylum|Aurora HDR|DxO|Topaz|Helicon/i;

/**
 * Firmware and camera-app strings phones and cameras write into EXIF Software: version numbers
 * (iPhone "16.1.2"), HDR+ (Pixel), Android build ids (Samsung "G998BXXU5CVDD"), vendor firmware
 * ("Ver.1.00", "Firmware Version 1.1.0", "V1.0.0.0"), camera makers' own names. Never editors.
 */
export const CAMERA_FIRMWARE = /^(\d+(\.\d+)*( \(\w+\))?|HDR\+.*|Android.*|MediaTek.*|[A-Z]\d{3,4}[A-Z0-9]{6,}|[A-Z]{1,3}\d{2,4}[A-Z]?[A-Z0-9_.-]*|Ver(sion)?\.? ?\d.*|Firmware.*|V\d+(\.\d+)*.*|.*(Canon|NIKON|Nikon|SONY|Sony|OLYMPUS|FUJIFILM|Panasonic|PENTAX|Leica|Samsung|HUAWEI|Xiaomi|OnePlus|Google|Apple|iPhone|iOS).*)$/;

/** True when a Software value names an editor (and is not a firmware string). */
export function isEditor(software: string): boolean {
  const s = software.trim();
  if (!s) return false;
  if (CAMERA_FIRMWARE.test(s) && !IMAGE_EDITORS.test(s)) return false;
  return IMAGE_EDITORS.test(s);
}

/** XMP history lines (`action when softwareAgent`) where an editor saved, converted or derived the file. */
export function editingHistory(history: readonly string[]): string[] {
  return history.filter((h) => /^(saved|converted|derived|edited|filtered|cropped|produced)\b/i.test(h.trim()) && IMAGE_EDITORS.test(h));
}
