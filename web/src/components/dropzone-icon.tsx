import { ThemeIcon } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconCloudUpload, IconX, type Icon } from '@tabler/icons-react';

/** The round icon inside a Dropzone: `idle` at rest, an upload cloud while a fitting file hovers, a cross for one that does not fit. */
export function DropzoneIcon({ idle: Idle, size }: { idle: Icon; size: number }) {
  const glyph = Math.round(size * 0.53);
  return (
    <>
      <Dropzone.Accept>
        <ThemeIcon size={size} radius="xl" variant="light">
          <IconCloudUpload size={glyph} />
        </ThemeIcon>
      </Dropzone.Accept>
      <Dropzone.Reject>
        <ThemeIcon size={size} radius="xl" variant="light" color="red">
          <IconX size={glyph} />
        </ThemeIcon>
      </Dropzone.Reject>
      <Dropzone.Idle>
        <ThemeIcon size={size} radius="xl" variant="light">
          <Idle size={glyph} />
        </ThemeIcon>
      </Dropzone.Idle>
    </>
  );
}
