namespace Faceprint.Imaging;

/// <summary>
/// Shrinks an image by an integer factor while its RGBA rows stream in (top-down or bottom-up), averaging each
/// factor×factor box (the last row and column of boxes may be partial) after compositing over white as
/// <see cref="ImageLoader.CompositeOverWhite"/> does. Only one band of sums is held, never the full image.
/// </summary>
internal sealed class BoxDownsampler
{
    private readonly int _width, _factor, _outWidth, _outHeight;
    private readonly long[] _sums;
    private readonly byte[] _pixels;
    private int _band = -1, _rowsInBand;

    /// <summary>Prepares for a <paramref name="width"/>×<paramref name="height"/> source shrunk by <paramref name="factor"/>.</summary>
    public BoxDownsampler(int width, int height, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        _width = width;
        _factor = factor;
        _outWidth = (width + factor - 1) / factor;
        _outHeight = (height + factor - 1) / factor;
        _sums = new long[_outWidth * 3];
        _pixels = new byte[(long)_outWidth * _outHeight * 3];
    }

    /// <summary>Adds source row <paramref name="y"/> (RGBA, unpremultiplied); rows must arrive in order, either direction.</summary>
    public void AddRow(int y, byte[] rgba)
    {
        int band = y / _factor;
        if (band != _band)
        {
            Flush();
            _band = band;
        }

        for (int x = 0, s = 0; x < _width; x++, s += 4)
        {
            int a = rgba[s + 3], o = x / _factor * 3;
            if (a == 255)
            {
                _sums[o] += rgba[s];
                _sums[o + 1] += rgba[s + 1];
                _sums[o + 2] += rgba[s + 2];
            }
            else
            {
                int white = 255 * (255 - a);
                _sums[o] += (rgba[s] * a + white + 127) / 255;
                _sums[o + 1] += (rgba[s + 1] * a + white + 127) / 255;
                _sums[o + 2] += (rgba[s + 2] * a + white + 127) / 255;
            }
        }

        _rowsInBand++;
    }

    /// <summary>The shrunk image, once every row was added.</summary>
    public RgbImage Finish()
    {
        Flush();
        return new RgbImage(_outWidth, _outHeight, _pixels);
    }

    private void Flush()
    {
        if (_rowsInBand == 0)
            return;
        long offset = (long)_band * _outWidth * 3;
        for (int ox = 0; ox < _outWidth; ox++)
        {
            int columns = Math.Min(_factor, _width - ox * _factor);
            long count = (long)columns * _rowsInBand;
            for (int c = 0; c < 3; c++)
                _pixels[offset + ox * 3 + c] = (byte)((_sums[ox * 3 + c] + count / 2) / count);
        }

        Array.Clear(_sums);
        _rowsInBand = 0;
    }
}
