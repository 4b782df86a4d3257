"""Distinct (given, surname) pairs for the probes, each a clear given name and a census surname of no
dictionary by the product's own lists (so a leak is not the documented "names no list knows"); one pair
per case, so a value tokenized in one case cannot hide another case's leak (known values)."""

GIVEN = (
    "maria priya sofia elena lucia fatima tatiana svetlana nadia giovanni francesca beatriz joaquin "
    "dmitri anastasia bogdan wojciech agnieszka katarzyna rafael alejandro gabriela valentina camila "
    "isabella sebastian emilio ricardo fernanda daniela adriana marisol esperanza guadalupe lorenzo "
    "matteo giulia chiara alessandro federico rohan arjun deepika rahul sanjay vikram meera oksana "
    "natalia irina andrei sergei mikhail mathilde amelie noemi zofia ingrid takeshi hiroshi yusuf"
).split()
SURNAMES = (
    "gonzalez hernandez kowalczyk nakamura castillo ramirez gutierrez fernandez dominguez vasquez "
    "yamamoto kowalski horvath mueller rodriguez sanchez delgado aguilar herrera jimenez alvarez "
    "mendoza vargas guzman salazar contreras espinoza sandoval cordova figueroa acosta pacheco "
    "valenzuela zamora cervantes quintero bautista navarro villanueva trujillo cisneros calderon "
    "escobar sharma takahashi yoshida yamada matsumoto kimura hayashi shimizu nguyen petrov raman"
).split()


def pairs():
    """An endless supply of distinct pairs."""
    i = 0
    while True:
        yield GIVEN[i % len(GIVEN)], SURNAMES[(i * 7) % len(SURNAMES)]
        i += 1
